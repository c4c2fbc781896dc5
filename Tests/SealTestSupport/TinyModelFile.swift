import Foundation
import SealFormats

/// Writes small, complete llama GGUF files with deterministic weights, and
/// lets a test break exactly one thing about them.
public struct TinyModelFile {
    public var architecture = "llama"
    public var layers = 2
    public var dimension = 8
    public var heads = 2
    public var kvHeads = 1
    public var feedForward = 16
    public var contextLength = 64
    /// Embedding rows; the tokenizer always has 259 tokens.
    public var embeddingRows = 259
    public var omitTensor: String?
    public var overrideShape: (name: String, shape: [Int])?
    public var overrideMetadata: [String: GGUFValue] = [:]
    /// One weight replaced (e.g. by NaN), to test what corrupt values do.
    public var poisonedWeight: (tensor: String, index: Int, value: Float)?

    public static let tokenCount = 259

    public init(architecture: String = "llama", layers: Int = 2, dimension: Int = 8, heads: Int = 2, kvHeads: Int = 1,
                feedForward: Int = 16, contextLength: Int = 64, embeddingRows: Int = 259) {
        self.architecture = architecture
        self.layers = layers
        self.dimension = dimension
        self.heads = heads
        self.kvHeads = kvHeads
        self.feedForward = feedForward
        self.contextLength = contextLength
        self.embeddingRows = embeddingRows
    }

    public func write(to url: URL) throws {
        var writer = GGUFWriter()
        writer.addMetadata("general.architecture", .string(architecture))
        writer.addMetadata("general.name", .string("tiny-test"))
        writer.addMetadata("\(architecture).block_count", .uint32(UInt32(layers)))
        writer.addMetadata("\(architecture).embedding_length", .uint32(UInt32(dimension)))
        writer.addMetadata("\(architecture).feed_forward_length", .uint32(UInt32(feedForward)))
        writer.addMetadata("\(architecture).attention.head_count", .uint32(UInt32(heads)))
        writer.addMetadata("\(architecture).attention.head_count_kv", .uint32(UInt32(kvHeads)))
        writer.addMetadata("\(architecture).context_length", .uint32(UInt32(contextLength)))
        writer.addMetadata("\(architecture).attention.layer_norm_rms_epsilon", .float32(1e-5))
        writer.addMetadata("\(architecture).rope.freq_base", .float32(10_000))
        // A SentencePiece vocabulary: <unk>, <s>, </s>, then the 256 byte tokens.
        var tokens: [GGUFValue] = [.string("<unk>"), .string("<s>"), .string("</s>")]
        var types: [GGUFValue] = [.int32(2), .int32(3), .int32(3)]
        for byte in 0..<256 {
            tokens.append(.string(String(format: "<0x%02X>", byte)))
            types.append(.int32(6))
        }
        writer.addMetadata("tokenizer.ggml.model", .string("llama"))
        writer.addMetadata("tokenizer.ggml.tokens", .array(tokens))
        writer.addMetadata("tokenizer.ggml.scores", .array(Array(repeating: .float32(0), count: tokens.count)))
        writer.addMetadata("tokenizer.ggml.token_type", .array(types))
        writer.addMetadata("tokenizer.ggml.bos_token_id", .uint32(1))
        writer.addMetadata("tokenizer.ggml.eos_token_id", .uint32(2))
        writer.addMetadata("tokenizer.ggml.unknown_token_id", .uint32(0))
        for (key, value) in overrideMetadata { writer.addMetadata(key, value) }

        let headDimension = dimension / heads
        var tensors: [(String, [Int])] = [("token_embd.weight", [embeddingRows, dimension])]
        for l in 0..<layers {
            tensors += [
                ("blk.\(l).attn_norm.weight", [dimension]),
                ("blk.\(l).attn_q.weight", [heads * headDimension, dimension]),
                ("blk.\(l).attn_k.weight", [kvHeads * headDimension, dimension]),
                ("blk.\(l).attn_v.weight", [kvHeads * headDimension, dimension]),
                ("blk.\(l).attn_output.weight", [dimension, heads * headDimension]),
                ("blk.\(l).ffn_norm.weight", [dimension]),
                ("blk.\(l).ffn_gate.weight", [feedForward, dimension]),
                ("blk.\(l).ffn_up.weight", [feedForward, dimension]),
                ("blk.\(l).ffn_down.weight", [dimension, feedForward]),
            ]
        }
        tensors.append(("output_norm.weight", [dimension]))
        var seed: UInt64 = 12345
        for (name, defaultShape) in tensors where name != omitTensor {
            let shape = overrideShape?.name == name ? overrideShape!.shape : defaultShape
            let count = shape.reduce(1, *)
            var values: [Float] = (0..<count).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let unit = Float(seed >> 40) / Float(1 << 24)
                return name.hasSuffix("norm.weight") ? 1 + (unit - 0.5) * 0.2 : (unit - 0.5) * 0.6
            }
            if let poison = poisonedWeight, poison.tensor == name, values.indices.contains(poison.index) {
                values[poison.index] = poison.value
            }
            try writer.addTensor(name, shape: shape, float32: values)
        }
        try writer.write(to: url)
    }
}

/// A fresh temporary directory; the caller removes it.
public func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("seal-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
