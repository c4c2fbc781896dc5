import Foundation
import Testing

@testable import SealTokenizer

/// Loading tokenizer.json files of each supported family.
@Suite struct TokenizerJSONTests {
    static let families = ["llama3-style", "qwen2-style", "llama2-style", "mistral-style"]

    @Test(arguments: families)
    func familyMatchesReference(_ family: String) throws {
        let url = TestSupport.fixture("tokenizer/json/\(family)/tokenizer.json")
        let tokenizer = try Tokenizer(tokenizerJSON: url)
        try ReferenceEncodings.load("json/\(family).json").expectMatches(tokenizer, family, checkSpecial: true)
    }

    @Test func llama3StyleSettings() throws {
        let tokenizer = try Tokenizer(tokenizerJSON: TestSupport.fixture("tokenizer/json/llama3-style/tokenizer.json"))
        #expect(tokenizer.addsBOS)
        #expect(tokenizer.bosTokenID == tokenizer.tokenID(forText: "<|begin_of_text|>"))
        #expect(tokenizer.ignoreMerges)
        #expect(tokenizer.preTokenizer.steps == [.split(.llama3)])
    }

    @Test func sentencePieceStyleSettings() throws {
        let llama2 = try Tokenizer(tokenizerJSON: TestSupport.fixture("tokenizer/json/llama2-style/tokenizer.json"))
        #expect(llama2.addsBOS && llama2.bosTokenID == 1)
        #expect(llama2.isSpecial(1) && llama2.isSpecial(2) && !llama2.isSpecial(500))
        #expect(llama2.decode(llama2.encode("Hello world")) == "<s> Hello world")
        #expect(llama2.decode(llama2.encode("Hello world"), skipSpecialTokens: true) == "Hello world")
        let mistral = try Tokenizer(tokenizerJSON: TestSupport.fixture("tokenizer/json/mistral-style/tokenizer.json"))
        #expect(mistral.metaspace?.prependScheme == .first)
    }

    /// The tiny HF checkpoints' prompts: `[bos] + encode(text)` as recorded by their generator.
    @Test(arguments: ["tiny-llama", "tiny-mistral", "tiny-qwen2"])
    func tinyCheckpointPrompts(_ name: String) throws {
        let directory = TestSupport.fixture("hf/\(name)")
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            print("note: \(tokenizerURL.path) absent; skipping")
            return
        }
        let tokenizer = try Tokenizer(
            tokenizerJSON: tokenizerURL, tokenizerConfig: directory.appendingPathComponent("tokenizer_config.json"))
        let reference = try TestSupport.json(directory.appendingPathComponent("reference.json")) as? [String: Any]
        let cases = reference?["cases"] as? [[String: Any]] ?? []
        var checked = 0
        for entry in cases {
            guard let text = entry["text"] as? String, let tokens = entry["tokens"] as? [Int] else { continue }
            let ids = tokenizer.encode(text)
            #expect(ids == tokens.map { TokenID($0) }, "\(name): \(text.debugDescription)")
            #expect(tokenizer.decode(ids, skipSpecialTokens: true) == text)
            checked += 1
        }
        #expect(checked > 0)
    }

    @Test func refusesUnsupportedComponents() throws {
        let base = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TestSupport.fixture("tokenizer/json/qwen2-style/tokenizer.json"))) as? [String: Any] ?? [:]
        func load(_ edit: (inout [String: Any]) -> Void) throws(TokenizerError) -> Tokenizer {
            var json = base
            edit(&json)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("seal-tok-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: url) }
            try? JSONSerialization.data(withJSONObject: json).write(to: url)
            return try Tokenizer(tokenizerJSON: url)
        }
        #expect(throws: TokenizerError(.unknownModelType("Unigram"))) {
            try load { json in
                var model = json["model"] as? [String: Any] ?? [:]
                model["type"] = "Unigram"
                json["model"] = model
            }
        }
        do {
            _ = try load { $0["normalizer"] = ["type": "Lowercase"] }
            Issue.record("Lowercase normalizer accepted")
        } catch {
            guard case .unsupportedComponent(let name, _) = error.kind else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "normalizer Lowercase")
        }
        do {
            _ = try load { json in
                json["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "\\w+"], "behavior": "Isolated", "invert": false]
            }
            Issue.record("unknown regex accepted")
        } catch {
            #expect(error.description.contains("\\w+"))
        }
        do {
            _ = try load { json in
                var model = json["model"] as? [String: Any] ?? [:]
                model["merges"] = ["Ġ t", "nonexistent pair"]
                json["model"] = model
            }
            Issue.record("bad merge accepted")
        } catch {
            #expect(error == TokenizerError(.malformedMerge(index: 1, merge: "nonexistent pair")))
        }
        #expect(throws: TokenizerError.self) {
            try Tokenizer(tokenizerJSON: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        }
    }
}
