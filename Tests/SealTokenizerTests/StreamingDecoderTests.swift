import Testing

@testable import SealTokenizer

@Suite struct StreamingDecoderTests {
    /// Feeds ids one by one; checks every chunk is whole characters and the
    /// concatenation equals `decode`.
    func expectStreams(_ tokenizer: Tokenizer, _ text: String, skipSpecialTokens: Bool = false) {
        let ids = tokenizer.encode(text, addSpecialTokens: false)
        var decoder = tokenizer.makeStreamingDecoder(skipSpecialTokens: skipSpecialTokens)
        var streamed = ""
        for id in ids {
            let chunk = decoder.append(id)
            #expect(!chunk.unicodeScalars.contains("\u{FFFD}"), "partial character emitted for \(text.debugDescription)")
            streamed += chunk
        }
        streamed += decoder.finish()
        #expect(streamed == tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens))
    }

    static let texts = [
        "I love 🍕 and 🚀!", "👨‍👩‍👧‍👦 family, 👩🏽‍💻 coder", "🇫🇷🇩🇪", "我爱自然语言处理。", "Ærøskøbing ∑ √2",
        " leading space", "<|im_start|>user\nhi 🙂<|im_end|>", "<s>Hello</s> world", "𝓝𝓮𝔀",
    ]

    @Test func smolLM2EmojiSplitAcrossTokens() {
        guard let tokenizer = TestSupport.smolLM else { return }
        // The pizza emoji is several byte-level tokens, none a whole character.
        let ids = tokenizer.encode("🍕", addSpecialTokens: false)
        #expect(ids.count > 1)
        var decoder = tokenizer.makeStreamingDecoder()
        var chunks: [String] = []
        for id in ids { chunks.append(decoder.append(id)) }
        #expect(chunks.dropLast().allSatisfy { $0.isEmpty })
        #expect(chunks.last == "🍕")
        #expect(decoder.finish() == "")
        for text in Self.texts { expectStreams(tokenizer, text) }
        for text in Self.texts { expectStreams(tokenizer, text, skipSpecialTokens: true) }
    }

    @Test func tinyCoderByteFallback() {
        guard let tokenizer = TestSupport.tinyCoder else { return }
        for text in Self.texts { expectStreams(tokenizer, text) }
        for text in Self.texts { expectStreams(tokenizer, text, skipSpecialTokens: true) }
    }

    @Test func finishFlushesIncompleteSequence() {
        guard let tokenizer = TestSupport.smolLM else { return }
        let ids = tokenizer.encode("🍕", addSpecialTokens: false)
        var decoder = tokenizer.makeStreamingDecoder()
        #expect(decoder.append(ids[0]) == "")
        #expect(decoder.finish() == "\u{FFFD}")
    }

    @Test func completePrefixLength() {
        typealias D = StreamingDecoder
        #expect(D.completePrefixLength([]) == 0)
        #expect(D.completePrefixLength([0x41]) == 1)
        #expect(D.completePrefixLength([0x41, 0xF0, 0x9F]) == 1)
        #expect(D.completePrefixLength([0xF0, 0x9F, 0x8D, 0x95]) == 4)
        #expect(D.completePrefixLength([0xE2, 0x82]) == 0)
        #expect(D.completePrefixLength([0xE0, 0x80]) == 2)  // invalid second byte: nothing to wait for
        #expect(D.completePrefixLength([0x80, 0x80]) == 2)  // stray continuation bytes
        #expect(D.completePrefixLength([0xFF]) == 1)
    }
}
