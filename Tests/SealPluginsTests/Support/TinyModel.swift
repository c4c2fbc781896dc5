import Foundation
import SealFormats
import SealModel

/// A tiny llama model with random weights and a byte-level SentencePiece vocabulary,
/// written as GGUF and loaded through the normal loader.
enum TinyModel {
    static let contextLength = 64

    static func load(layers: Int = 2, dimension: Int = 8, heads: Int = 2, kvHeads: Int = 1) throws -> LanguageModel {
        let directory = try PluginFixtures.temporaryDirectory("model")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tiny.gguf")
        try write(to: url, layers: layers, dimension: dimension, heads: heads, kvHeads: kvHeads)
        return try LanguageModel.load(from: url)
    }

    private static func write(to url: URL, layers: Int, dimension: Int, heads: Int, kvHeads: Int) throws {
        let feedForward = 16
        var writer = GGUFWriter()
        let metadata: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")),
            ("general.name", .string("tiny-plugin-test")),
            ("llama.block_count", .uint32(UInt32(layers))),
            ("llama.embedding_length", .uint32(UInt32(dimension))),
            ("llama.feed_forward_length", .uint32(UInt32(feedForward))),
            ("llama.attention.head_count", .uint32(UInt32(heads))),
            ("llama.attention.head_count_kv", .uint32(UInt32(kvHeads))),
            ("llama.context_length", .uint32(UInt32(contextLength))),
            ("llama.attention.layer_norm_rms_epsilon", .float32(1e-5)),
            ("llama.rope.freq_base", .float32(10_000)),
            ("tokenizer.ggml.model", .string("llama")),
            ("tokenizer.ggml.bos_token_id", .uint32(1)),
            ("tokenizer.ggml.eos_token_id", .uint32(2)),
            ("tokenizer.ggml.unknown_token_id", .uint32(0)),
        ]
        for (key, value) in metadata { writer.addMetadata(key, value) }
        // <unk>, <s>, </s>, then one token per byte.
        var tokens: [GGUFValue] = [.string("<unk>"), .string("<s>"), .string("</s>")]
        var types: [GGUFValue] = [.int32(2), .int32(3), .int32(3)]
        for byte in 0..<256 {
            tokens.append(.string(String(format: "<0x%02X>", byte)))
            types.append(.int32(6))
        }
        writer.addMetadata("tokenizer.ggml.tokens", .array(tokens))
        writer.addMetadata("tokenizer.ggml.scores", .array(Array(repeating: .float32(0), count: tokens.count)))
        writer.addMetadata("tokenizer.ggml.token_type", .array(types))

        let headDimension = dimension / heads
        var shapes: [(String, [Int])] = [("token_embd.weight", [tokens.count, dimension])]
        for l in 0..<layers {
            shapes += [
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
        shapes.append(("output_norm.weight", [dimension]))
        var state: UInt64 = 0x5EA1
        for (name, shape) in shapes {
            let values: [Float] = (0..<shape.reduce(1, *)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let unit = Float(state >> 40) / Float(1 << 24)
                return name.hasSuffix("norm.weight") ? 1 + (unit - 0.5) * 0.2 : (unit - 0.5) * 0.6
            }
            try writer.addTensor(name, shape: shape, float32: values)
        }
        try writer.write(to: url)
    }
}
