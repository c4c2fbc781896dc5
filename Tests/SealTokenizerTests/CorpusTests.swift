import Testing

@testable import SealTokenizer

/// Exact agreement with Hugging Face `tokenizers` on the shared corpus.
@Suite struct CorpusTests {
    @Test func smolLM2MatchesReference() throws {
        guard let tokenizer = TestSupport.smolLM else { return }
        try expectCorpus(tokenizer, "smollm2.json")
    }

    @Test func tinyCoderMatchesReference() throws {
        guard let tokenizer = TestSupport.tinyCoder else { return }
        try expectCorpus(tokenizer, "llama2-tinycoder.json")
    }

    @Test func smolLM2RoundTrips() throws {
        guard let tokenizer = TestSupport.smolLM else { return }
        try expectRoundTrips(tokenizer, "smollm2.json")
    }

    @Test func tinyCoderRoundTrips() throws {
        guard let tokenizer = TestSupport.tinyCoder else { return }
        try expectRoundTrips(tokenizer, "llama2-tinycoder.json")
    }

    func expectCorpus(_ tokenizer: Tokenizer, _ fixture: String) throws {
        let corpus = try CorpusFixture.load(fixture)
        #expect(!corpus.cases.isEmpty)
        for testCase in corpus.cases {
            let ids = tokenizer.encode(testCase.text, addSpecialTokens: false)
            #expect(ids == testCase.ids, "\(fixture): \(testCase.text.debugDescription)")
        }
    }

    func expectRoundTrips(_ tokenizer: Tokenizer, _ fixture: String) throws {
        let corpus = try CorpusFixture.load(fixture)
        // SentencePiece models prefix every run of text after a special token with
        // "▁", so texts containing special tokens do not round-trip (nor do they
        // in HF; the stress fixtures check decoding against HF exactly).
        for testCase in corpus.cases where !testCase.text.contains("<s>") && !testCase.text.contains("</s>") {
            let ids = tokenizer.encode(testCase.text, addSpecialTokens: false)
            #expect(tokenizer.decode(ids) == testCase.text, "\(fixture): \(testCase.text.debugDescription)")
            // The reference ids decode to the text as well.
            #expect(tokenizer.decode(testCase.ids) == testCase.text)
        }
    }
}
