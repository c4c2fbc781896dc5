import Testing

@testable import SealTokenizer

@Suite struct SpecialTokenTests {
    @Test func smolLM2SpecialTokens() {
        guard let tokenizer = TestSupport.smolLM else { return }
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.bosTokenID == 1)
        #expect(tokenizer.eosTokenID == 2)
        #expect(!tokenizer.addsBOS)
        #expect(tokenizer.endOfGenerationTokenIDs == [0, 2])
        #expect(tokenizer.isSpecial(1) && !tokenizer.isSpecial(19556))
        let text = "<|im_start|>user\nHi<|im_end|>"
        let parsed = tokenizer.encode(text)
        #expect(parsed.first == 1 && parsed.last == 2)
        let literal = tokenizer.encode(text, parseSpecialTokens: false)
        #expect(!literal.contains(1) && !literal.contains(2))
        #expect(tokenizer.decode(literal) == text)
        #expect(tokenizer.decode(parsed) == text)
        #expect(tokenizer.decode(parsed, skipSpecialTokens: true) == "user\nHi")
        #expect(tokenizer.tokenBytes(1) == Array("<|im_start|>".utf8))
        #expect(tokenizer.tokenBytes(905) == Array(" world".utf8))
        #expect(tokenizer.tokenBytes(-1) == [] && tokenizer.tokenBytes(49152) == [])
        #expect(tokenizer.chatTemplateSource?.contains("<|im_start|>") == true)
    }

    @Test func tinyCoderSpecialTokens() {
        guard let tokenizer = TestSupport.tinyCoder else { return }
        #expect(tokenizer.vocabularySize == 32000)
        #expect(tokenizer.addsBOS && tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2)
        #expect(tokenizer.endOfGenerationTokenIDs == [2])
        #expect(tokenizer.encode("Hello world") == [1, 15043, 3186])
        #expect(tokenizer.encode("Hello world", addSpecialTokens: false) == [15043, 3186])
        #expect(tokenizer.encode("</s>", addSpecialTokens: false) == [2])
        #expect(!tokenizer.encode("</s>", addSpecialTokens: false, parseSpecialTokens: false).contains(2))
        #expect(tokenizer.decode([1, 15043, 3186, 2], skipSpecialTokens: true) == "Hello world")
        #expect(tokenizer.tokenBytes(13) == [0x0A])  // <0x0A>
        #expect(tokenizer.tokenBytes(3186) == Array(" world".utf8))
        #expect(tokenizer.chatTemplateSource == nil)
        // Byte fallback: a character missing from the vocabulary becomes its UTF-8 bytes.
        let ids = tokenizer.encode("\u{1F355}", addSpecialTokens: false)
        #expect(ids.contains(tokenizer.tokenID(forText: "<0xF0>") ?? -1))
        #expect(tokenizer.decode(ids) == "\u{1F355}")
    }

    @Test func literalTokenMatcherIsLeftmostLongest() {
        let matcher = LiteralTokenMatcher([
            .init(id: 1, content: "<a>", special: true),
            .init(id: 2, content: "<a><b>", special: true),
            .init(id: 3, content: "b>", special: false, lstrip: true, rstrip: true),
        ])
        let text = Array("x<a><b>y <a> b>  z".unicodeScalars.map(\.value))
        #expect(matcher.segments(text) == [.text(0..<1), .token(2), .text(7..<9), .token(1), .token(3), .text(17..<18)])
    }
}
