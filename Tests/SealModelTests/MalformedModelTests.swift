import Foundation
import SealFormats
import SealModel
import SealTestSupport
import Testing

/// What a corrupt model file found by the mutation fuzzer did, held fixed: sizes from the
/// file are bounded before they size anything, weights must be finite, and text copied
/// from the file into an error is bounded.
@Suite("Malformed model files")
struct MalformedModelTests {
    func load(_ write: (URL) throws -> Void) throws -> Result<LanguageModel, SealModelError> {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("corrupt.gguf")
        try write(url)
        do { return .success(try LanguageModel.load(from: url)) } catch { return .failure(error) }
    }

    func error(_ tiny: TinyModelFile) throws -> SealModelError {
        switch try load({ try tiny.write(to: $0) }) {
        case .success: throw Refused.loaded
        case .failure(let error): return error
        }
    }

    enum Refused: Error { case loaded }

    @Test(arguments: [1 << 31, Int(UInt32.max), (1 << 20) + 1])
    func anAbsurdContextLengthIsRefusedBeforeAnyAllocation(length: Int) throws {
        let error = try error(TinyModelFile(contextLength: length))
        #expect(error.kind == .invalidConfiguration(key: "context length", reason: "\(length) is not in 1...1048576"))
        #expect(error.description.contains("corrupt.gguf"))
    }

    @Test func theLongestAcceptedContextStillLoads() throws {
        let model = try load { try TinyModelFile(contextLength: 1 << 20).write(to: $0) }.get()
        #expect(model.configuration.trainedContextLength == 1 << 20)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func aNonFiniteWeightIsRefusedNamingItsTensor(value: Float) throws {
        var tiny = TinyModelFile()
        tiny.poisonedWeight = ("blk.1.ffn_up.weight", 37, value)
        let error = try error(tiny)
        guard case .nonFiniteWeight(let tensor, let index, _) = error.kind else {
            Issue.record("expected a non-finite weight error, got \(error)")
            return
        }
        #expect(tensor == "blk.1.ffn_up.weight" && index == 37)
        #expect(error.description.contains("tensor 'blk.1.ffn_up.weight' holds \(value.isNaN ? "NaN" : value > 0 ? "+infinity" : "-infinity") at element 37"), "\(error)")
    }

    @Test func aHugeArchitectureNameIsQuotedBriefly() throws {
        let name = String(repeating: "x", count: 1_000_000)
        let error = try error(TinyModelFile(architecture: name))
        #expect(error.description.count < 1_000, "\(error.description.count) characters")
        #expect(error.description.contains("…(1000000 bytes)"))
    }

    /// A GGUF header by hand: a key of 5 MB, twice (what a corrupt key length once produced).
    @Test func aHugeDuplicatedKeyIsQuotedBriefly() throws {
        let key = [UInt8](repeating: UInt8(ascii: "k"), count: 5_000_000)
        var bytes = Array("GGUF".utf8)
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        u32(3)  // version
        u64(0)  // tensors
        u64(2)  // metadata entries
        for value: UInt32 in [1, 2] {
            u64(UInt64(key.count))
            bytes += key
            u32(4)  // UINT32
            u32(value)
        }
        let start = Date()
        let result = try load { try Data(bytes).write(to: $0) }
        guard case .failure(let error) = result else {
            Issue.record("loaded a file with a duplicated key")
            return
        }
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(error.description.count < 2_000, "\(error.description.count) characters")
        #expect(error.description.contains("appears more than once"), "\(error.description.prefix(300))")
        #expect(error.description.contains("…(5000000 bytes)"))
    }

    @Test func boundedTextKeepsShortTextAndCountsTheRest() {
        #expect("short".boundedForMessage() == "short")
        #expect(String(repeating: "a", count: 200).boundedForMessage() == String(repeating: "a", count: 200))
        #expect(String(repeating: "é", count: 300).boundedForMessage(10) == String(repeating: "é", count: 10) + "…(600 bytes)")
    }
}
