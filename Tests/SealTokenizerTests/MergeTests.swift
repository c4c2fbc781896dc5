import Testing

@testable import SealTokenizer

@Suite struct MergeTests {
    /// A toy table: a+b -> 10 (rank 0), b+c -> 11 (rank 1), 10+c -> 12 (rank 2), a+a -> 13 (rank 3).
    static let table: MergeTable = {
        var table = MergeTable()
        table.insert(left: 1, right: 2, rank: 0, result: 10)
        table.insert(left: 2, right: 3, rank: 1, result: 11)
        table.insert(left: 10, right: 3, rank: 2, result: 12)
        table.insert(left: 1, right: 1, rank: 3, result: 13)
        return table
    }()

    @Test func lowestRankFirstLeftmostOnTies() {
        var symbols: [TokenID] = [1, 2, 3, 1, 1, 1]
        BPEMerger.merge(&symbols, Self.table)
        #expect(symbols == [12, 13, 1])
        var heap: [TokenID] = [1, 2, 3, 1, 1, 1]
        BPEMerger.mergeWithHeap(&heap, Self.table)
        #expect(heap == [12, 13, 1])
    }

    @Test func laterRuleForSamePairReplacesEarlier() {
        var table = MergeTable()
        table.insert(left: 1, right: 2, rank: 0, result: 10)
        table.insert(left: 1, right: 2, rank: 5, result: 11)
        #expect(table.count == 1)
        #expect(table.lookup(1, 2)?.rank == 5)
    }

    /// The scan (short words) and heap (long words) paths agree on real words.
    @Test func scanAndHeapAgree() {
        guard let tokenizer = TestSupport.smolLM else { return }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aeioustrnlhd ĠthequickbrownfoxXYZ0123456789éü我".unicodeScalars)
        for _ in 0..<300 {
            let length = Int.random(in: 2...40, using: &generator)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let scalar = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                UTF8Encoding.append(scalar.value, to: &bytes)
            }
            let symbols = tokenizer.byteLevelSymbols(bytes)
            var scanned = symbols
            BPEMerger.mergeByScanning(&scanned, tokenizer.mergeTable)
            var heaped = symbols
            BPEMerger.mergeWithHeap(&heaped, tokenizer.mergeTable)
            #expect(scanned == heaped)
        }
    }

    @Test func addSpacePrefixCanBeDisabled() throws {
        guard var metadata = TestSupport.metadata(TestSupport.tinyCoderPath) else { return }
        metadata["tokenizer.ggml.add_space_prefix"] = .bool(false)
        let tokenizer = try Tokenizer(ggufMetadata: metadata)
        let ids = tokenizer.encode("Hello world", addSpecialTokens: false)
        #expect(tokenizer.tokenText(ids[0]) == "Hello")
        #expect(tokenizer.decode(ids) == "Hello world")
    }
}
