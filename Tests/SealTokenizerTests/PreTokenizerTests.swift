import Foundation
import Testing

@testable import SealTokenizer

/// The hand-written split regexes against Oniguruma (via HF `tokenizers`), piece for piece.
@Suite struct PreTokenizerTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var text: String
            var gpt2: [String]
            var llama3: [String]
            var qwen2: [String]
            var digits: [String]
        }
        var patterns: [String: String]
        var cases: [Case]
    }

    static func load() throws -> Fixture {
        let url = TestSupport.fixture("tokenizer/pretokenizer-splits.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func pieces(_ text: String, _ steps: [PreTokenizerStep]) -> [String] {
        let scalars = ScalarText(text[...])
        return PreTokenizerPipeline(steps: steps).split(scalars).map { String(scalarsOf: scalars.scalars[$0]) }
    }

    @Test func regexSourcesMatchFixture() throws {
        let fixture = try Self.load()
        for pattern in SplitPattern.allCases {
            #expect(fixture.patterns[pattern.rawValue] == pattern.regexSource)
        }
    }

    @Test(arguments: SplitPattern.allCases)
    func splitMatchesReference(_ pattern: SplitPattern) throws {
        let fixture = try Self.load()
        #expect(fixture.cases.count > 100)
        for testCase in fixture.cases {
            let expected: [String]
            switch pattern {
            case .gpt2: expected = testCase.gpt2
            case .llama3: expected = testCase.llama3
            case .qwen2: expected = testCase.qwen2
            }
            #expect(Self.pieces(testCase.text, [.split(pattern)]) == expected, "\(pattern): \(testCase.text.debugDescription)")
        }
    }

    @Test func individualDigitsMatchReference() throws {
        for testCase in try Self.load().cases {
            #expect(Self.pieces(testCase.text, [.digits(individual: true)]) == testCase.digits, "\(testCase.text.debugDescription)")
        }
    }

    @Test func digitRunsAreGrouped() {
        #expect(Self.pieces("ab123 4x", [.digits(individual: false)]) == ["ab", "123", " ", "4", "x"])
    }

    @Test func metaspaceSplitStartsPiecesAtReplacement() {
        #expect(Self.pieces("▁Hey▁▁friend", [.metaspaceSplit(replacement: 0x2581)]) == ["▁Hey", "▁", "▁friend"])
    }

    @Test func ggufPreTokenizerNames() throws {
        #expect(try PreTokenizerPipeline.forGGUF(pre: "smollm").steps == [.digits(individual: true), .split(.gpt2)])
        #expect(try PreTokenizerPipeline.forGGUF(pre: "default").steps == [.split(.gpt2)])
        #expect(try PreTokenizerPipeline.forGGUF(pre: "llama-bpe").steps == [.split(.llama3)])
        #expect(try PreTokenizerPipeline.forGGUF(pre: "qwen2").steps == [.split(.qwen2)])
        #expect(throws: TokenizerError(.unknownPreTokenizer("tekken"))) {
            try PreTokenizerPipeline.forGGUF(pre: "tekken")
        }
    }
}
