import SealFormats
import SealTensor

/// How a file format names the tensors of a Llama-family model.
public struct TensorNaming: Sendable {
    public let tokenEmbedding: String
    public let outputNorm: String
    public let lmHead: String
    let layer: @Sendable (Int, LayerTensor) -> String

    public enum LayerTensor: Sendable, CaseIterable {
        case attentionNorm, query, key, value, queryBias, keyBias, valueBias, output
        case feedForwardNorm, gate, up, down
    }

    public func name(layer index: Int, _ tensor: LayerTensor) -> String { layer(index, tensor) }

    /// llama.cpp's names (`blk.N.attn_q.weight`).
    public static let gguf = TensorNaming(
        tokenEmbedding: "token_embd.weight", outputNorm: "output_norm.weight", lmHead: "output.weight"
    ) { index, tensor in
        let suffix: String = switch tensor {
        case .attentionNorm: "attn_norm.weight"
        case .query: "attn_q.weight"
        case .key: "attn_k.weight"
        case .value: "attn_v.weight"
        case .queryBias: "attn_q.bias"
        case .keyBias: "attn_k.bias"
        case .valueBias: "attn_v.bias"
        case .output: "attn_output.weight"
        case .feedForwardNorm: "ffn_norm.weight"
        case .gate: "ffn_gate.weight"
        case .up: "ffn_up.weight"
        case .down: "ffn_down.weight"
        }
        return "blk.\(index).\(suffix)"
    }

    /// Hugging Face transformers' names (`model.layers.N.self_attn.q_proj.weight`).
    public static let huggingFace = TensorNaming(
        tokenEmbedding: "model.embed_tokens.weight", outputNorm: "model.norm.weight", lmHead: "lm_head.weight"
    ) { index, tensor in
        let suffix: String = switch tensor {
        case .attentionNorm: "input_layernorm.weight"
        case .query: "self_attn.q_proj.weight"
        case .key: "self_attn.k_proj.weight"
        case .value: "self_attn.v_proj.weight"
        case .queryBias: "self_attn.q_proj.bias"
        case .keyBias: "self_attn.k_proj.bias"
        case .valueBias: "self_attn.v_proj.bias"
        case .output: "self_attn.o_proj.weight"
        case .feedForwardNorm: "post_attention_layernorm.weight"
        case .gate: "mlp.gate_proj.weight"
        case .up: "mlp.up_proj.weight"
        case .down: "mlp.down_proj.weight"
        }
        return "model.layers.\(index).\(suffix)"
    }
}

/// Loads and shape-checks every tensor a configuration needs.
struct WeightLoader {
    let store: any TensorStore
    let naming: TensorNaming
    let configuration: ModelConfiguration

    func load() throws(SealModelError) -> ModelWeights {
        let c = configuration
        let embedding = try tensor(naming.tokenEmbedding, [c.vocabularySize, c.modelDimension])
        var layers: [LayerWeights] = []
        layers.reserveCapacity(c.layerCount)
        for i in 0..<c.layerCount {
            func t(_ kind: TensorNaming.LayerTensor, _ shape: [Int]) throws(SealModelError) -> FloatBuffer {
                try tensor(naming.name(layer: i, kind), shape)
            }
            func bias(_ kind: TensorNaming.LayerTensor, _ width: Int) throws(SealModelError) -> FloatBuffer? {
                c.hasQKVBias ? try t(kind, [width]) : nil
            }
            layers.append(LayerWeights(
                attentionNorm: try t(.attentionNorm, [c.modelDimension]),
                query: try t(.query, [c.queryDimension, c.modelDimension]),
                key: try t(.key, [c.keyValueDimension, c.modelDimension]),
                value: try t(.value, [c.keyValueDimension, c.modelDimension]),
                queryBias: try bias(.queryBias, c.queryDimension),
                keyBias: try bias(.keyBias, c.keyValueDimension),
                valueBias: try bias(.valueBias, c.keyValueDimension),
                output: try t(.output, [c.modelDimension, c.queryDimension]),
                feedForwardNorm: try t(.feedForwardNorm, [c.modelDimension]),
                gate: try t(.gate, [c.feedForwardDimension, c.modelDimension]),
                up: try t(.up, [c.feedForwardDimension, c.modelDimension]),
                down: try t(.down, [c.modelDimension, c.feedForwardDimension])))
        }
        let outputNorm = try tensor(naming.outputNorm, [c.modelDimension])
        let head = c.tiedEmbeddings ? embedding : try tensor(naming.lmHead, [c.vocabularySize, c.modelDimension])
        return ModelWeights(tokenEmbedding: embedding, layers: layers, outputNorm: outputNorm, lmHead: head)
    }

    func tensor(_ name: String, _ expected: [Int]) throws(SealModelError) -> FloatBuffer {
        try checkShape(name, expected)
        let buffer: FloatBuffer
        do {
            buffer = FloatBuffer(try store.loadFloat32(name), memory: .weights)
        } catch {
            throw SealModelError(error)
        }
        if let index = Self.firstNonFinite(buffer) {
            throw SealModelError(.nonFiniteWeight(tensor: name, index: index, value: buffer[index]), source: store.sourceDescription)
        }
        return buffer
    }

    /// Refuses a missing tensor or one whose shape differs from `expected`.
    func checkShape(_ name: String, _ expected: [Int]) throws(SealModelError) {
        guard let shape = store.shape(of: name) else {
            throw SealModelError(.missingTensor(name), source: store.sourceDescription)
        }
        // A vector may be stored as [1, n] by some converters; compare element layout, not rank.
        let squeezed = shape.filter { $0 != 1 }
        guard shape == expected || (squeezed == expected.filter { $0 != 1 } && expected.count == 1) else {
            throw SealModelError(.shapeMismatch(tensor: name, expected: expected, found: shape), source: store.sourceDescription)
        }
    }

    /// The index of the first NaN or infinity in `buffer`, if any.
    ///
    /// A corrupt weight makes every logit NaN, so it is refused at load, naming the tensor.
    /// The common case is one branch-free pass (a non-finite value makes `x * 0` NaN, and
    /// NaN survives the sum). Measured on SmolLM2-135M: about 22 ms of CPU time for all
    /// 134.5M weights, some 3% of the CPU time of loading the model.
    static func firstNonFinite(_ buffer: FloatBuffer) -> Int? {
        let base = UnsafeRawPointer(buffer.pointer)
        let count = buffer.count
        var lanes = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            lanes += base.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self) * 0
            index += 8
        }
        var tail: Float = 0
        while index < count {
            tail += buffer.pointer[index] * 0
            index += 1
        }
        guard !(lanes.sum() + tail).isFinite else { return nil }
        return UnsafeBufferPointer(start: buffer.pointer, count: count).firstIndex { !$0.isFinite }
    }
}
