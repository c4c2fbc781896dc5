import SealFormats
import Testing

@testable import SealTokenizer

@Suite struct ErrorTests {
    static func gpt2Metadata() -> [String: GGUFValue] {
        let alphabet = (0..<256).compactMap { Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0]).map { String($0) } }
        let tokens = alphabet + ["ab", "<|end|>"]
        return [
            "tokenizer.ggml.model": .string("gpt2"),
            "tokenizer.ggml.pre": .string("default"),
            "tokenizer.ggml.tokens": .array(tokens.map { .string($0) }),
            "tokenizer.ggml.token_type": .array(tokens.map { .int32($0 == "<|end|>" ? 3 : 1) }),
            "tokenizer.ggml.merges": .array([.string("a b")]),
            "tokenizer.ggml.eos_token_id": .uint32(257),
        ]
    }

    @Test func minimalByteLevelVocabulary() throws {
        let tokenizer = try Tokenizer(ggufMetadata: Self.gpt2Metadata())
        let ab = try #require(tokenizer.tokenID(forText: "ab"))
        let space = try #require(tokenizer.tokenID(forText: "Ġ"))
        let c = try #require(tokenizer.tokenID(forText: "c"))
        #expect(tokenizer.encode("ab abc<|end|>") == [ab, space, ab, c, 257])
        #expect(tokenizer.endOfGenerationTokenIDs == [257])
    }

    func expectError(_ expected: TokenizerError.Kind, _ edit: (inout [String: GGUFValue]) -> Void) {
        var metadata = Self.gpt2Metadata()
        edit(&metadata)
        #expect(throws: TokenizerError(expected)) { try Tokenizer(ggufMetadata: metadata) }
    }

    @Test func metadataErrors() {
        expectError(.missingKey("tokenizer.ggml.model")) { $0["tokenizer.ggml.model"] = nil }
        expectError(.missingKey("tokenizer.ggml.tokens")) { $0["tokenizer.ggml.tokens"] = nil }
        expectError(.missingKey("tokenizer.ggml.merges")) { $0["tokenizer.ggml.merges"] = nil }
        expectError(.unknownModelType("bert")) { $0["tokenizer.ggml.model"] = .string("bert") }
        expectError(.unknownPreTokenizer("tekken")) { $0["tokenizer.ggml.pre"] = .string("tekken") }
        expectError(.wrongValueType(key: "tokenizer.ggml.model", expected: "a string")) {
            $0["tokenizer.ggml.model"] = .uint32(2)
        }
        expectError(.mismatchedArrayLengths(key: "tokenizer.ggml.token_type", expected: 258, actual: 1)) {
            $0["tokenizer.ggml.token_type"] = .array([.int32(1)])
        }
        expectError(.malformedMerge(index: 1, merge: "nospace")) {
            $0["tokenizer.ggml.merges"] = .array([.string("a b"), .string("nospace")])
        }
        expectError(.malformedMerge(index: 0, merge: "x y")) { $0["tokenizer.ggml.merges"] = .array([.string("x y")]) }
        expectError(.tokenIDOutOfRange(key: "eos", id: 9999, vocabularySize: 258)) {
            $0["tokenizer.ggml.eos_token_id"] = .uint32(9999)
        }
        expectError(.emptyVocabulary) {
            $0["tokenizer.ggml.tokens"] = .array([])
            $0["tokenizer.ggml.token_type"] = nil
        }
    }

    @Test func descriptionsNameTheProblem() {
        #expect(TokenizerError(.unknownPreTokenizer("tekken")).description.contains("'tekken'"))
        #expect(TokenizerError(.malformedMerge(index: 7, merge: "q")).description.contains("index 7"))
        #expect(TokenizerError(.invalidTokenizerJSON(path: "/x.json", reason: "bad")).description.contains("/x.json"))
    }
}
