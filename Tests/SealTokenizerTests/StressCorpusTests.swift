import Foundation
import Testing

@testable import SealTokenizer

/// A seeded random corpus of awkward inputs, encoded and decoded by HF `tokenizers`.
struct ReferenceEncodings: Decodable {
    struct Case: Decodable {
        var text: String
        var ids: [Int32]
        var ids_with_special_tokens: [Int32]
        var decoded: String
        var decoded_skipping_special: String
    }
    var cases: [Case]

    static func load(_ name: String) throws -> ReferenceEncodings {
        let url = TestSupport.fixture("tokenizer/\(name)")
        return try JSONDecoder().decode(ReferenceEncodings.self, from: Data(contentsOf: url))
    }

    /// Compares encodings and decodings; `checkSpecial` also compares
    /// `addSpecialTokens: true` (only meaningful where HF's post-processor and
    /// our BOS policy come from the same file).
    func expectMatches(_ tokenizer: Tokenizer, _ name: String, checkSpecial: Bool) {
        #expect(cases.count > 50)
        var mismatches = 0
        for testCase in cases {
            let ids = tokenizer.encode(testCase.text, addSpecialTokens: false)
            if ids != testCase.ids { mismatches += 1 }
            #expect(ids == testCase.ids, "\(name) encode: \(testCase.text.debugDescription)")
            if checkSpecial {
                #expect(tokenizer.encode(testCase.text) == testCase.ids_with_special_tokens, "\(name) encode+special: \(testCase.text.debugDescription)")
            }
            #expect(tokenizer.decode(testCase.ids) == testCase.decoded, "\(name) decode: \(testCase.text.debugDescription)")
            #expect(tokenizer.decode(testCase.ids, skipSpecialTokens: true) == testCase.decoded_skipping_special,
                    "\(name) decode skipping special: \(testCase.text.debugDescription)")
        }
        if mismatches > 0 { print("\(name): \(mismatches) of \(cases.count) encodings differ") }
    }
}

@Suite struct StressCorpusTests {
    @Test func smolLM2() throws {
        guard let tokenizer = TestSupport.smolLM else { return }
        try ReferenceEncodings.load("stress-smollm2.json").expectMatches(tokenizer, "smollm2", checkSpecial: false)
    }

    @Test func tinyCoder() throws {
        guard let tokenizer = TestSupport.tinyCoder else { return }
        try ReferenceEncodings.load("stress-llama2-tinycoder.json").expectMatches(tokenizer, "tinycoder", checkSpecial: false)
    }
}
