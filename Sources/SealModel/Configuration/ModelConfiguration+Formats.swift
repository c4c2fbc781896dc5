import Foundation
import SealFormats

extension ModelConfiguration {
    /// Reads the hyper-parameters from GGUF metadata (`<arch>.block_count`, …).
    ///
    /// The vocabulary size comes from the embedding tensor, the one number that
    /// cannot disagree with the weights.
    public init(gguf file: GGUFFile) throws(SealModelError) {
        let source = file.url.path
        let metadata = file.metadata
        guard let architecture = metadata["general.architecture"]?.stringValue else {
            throw SealModelError(.invalidConfiguration(key: "general.architecture", reason: "missing"), source: source)
        }
        func integer(_ key: String) throws(SealModelError) -> Int {
            guard let value = metadata["\(architecture).\(key)"]?.intValue else {
                throw SealModelError(.invalidConfiguration(key: "\(architecture).\(key)", reason: "missing or not an integer"), source: source)
            }
            return value
        }
        func optionalNumber(_ key: String) -> Double? { metadata["\(architecture).\(key)"]?.doubleValue }

        let dimension = try integer("embedding_length")
        let heads = try integer("attention.head_count")
        let kvHeads = metadata["\(architecture).attention.head_count_kv"]?.intValue ?? heads
        let headDimension = metadata["\(architecture).attention.key_length"]?.intValue ?? (heads > 0 ? dimension / heads : 0)
        guard let embedding = file.tensor(named: "token_embd.weight") else {
            throw SealModelError(.missingTensor("token_embd.weight"), source: source)
        }
        var scaling: DeclaredRoPEScaling?
        if let type = metadata["\(architecture).rope.scaling.type"]?.stringValue, type != "none",
           let factor = optionalNumber("rope.scaling.factor"), factor > 0 {
            scaling = DeclaredRoPEScaling(
                type: type, factor: factor,
                originalContextLength: metadata["\(architecture).rope.scaling.original_context_length"]?.intValue)
        }
        self.init(
            architecture: architecture,
            name: metadata["general.name"]?.stringValue ?? file.url.deletingPathExtension().lastPathComponent,
            layerCount: try integer("block_count"),
            modelDimension: dimension,
            headCount: heads,
            keyValueHeadCount: kvHeads,
            headDimension: headDimension,
            feedForwardDimension: try integer("feed_forward_length"),
            vocabularySize: embedding.shape.first ?? 0,
            trainedContextLength: try integer("context_length"),
            ropeTheta: optionalNumber("rope.freq_base") ?? 10_000,
            ropeDimensionCount: metadata["\(architecture).rope.dimension_count"]?.intValue ?? headDimension,
            ropeLayout: .interleaved,
            declaredRoPEScaling: scaling,
            rmsNormEpsilon: Float(optionalNumber("attention.layer_norm_rms_epsilon") ?? 1e-5),
            tiedEmbeddings: file.tensor(named: "output.weight") == nil,
            hasQKVBias: file.tensor(named: "blk.0.attn_q.bias") != nil)
        try validate(source: source)
    }

    /// Reads the hyper-parameters from a Hugging Face `config.json`.
    public init(huggingFace config: HFModelConfig, directory: URL, store: any TensorStore) throws(SealModelError) {
        let source = directory.path
        func required(_ value: Int?, _ key: String) throws(SealModelError) -> Int {
            guard let value else {
                throw SealModelError(.invalidConfiguration(key: key, reason: "missing from config.json"), source: source)
            }
            return value
        }
        let architecture = config.modelType ?? "llama"
        let dimension = try required(config.hiddenSize, "hidden_size")
        let heads = try required(config.numAttentionHeads, "num_attention_heads")
        let headDimension = config.headDim ?? (heads > 0 ? dimension / heads : 0)
        var scaling: DeclaredRoPEScaling?
        if let rope = config.ropeScaling, let factor = rope.factor {
            scaling = DeclaredRoPEScaling(
                type: rope.type ?? "linear", factor: factor,
                originalContextLength: rope.originalMaxPositionEmbeddings,
                lowFrequencyFactor: rope.lowFreqFactor, highFrequencyFactor: rope.highFreqFactor)
        }
        let vocabulary = config.vocabSize ?? store.shape(of: "model.embed_tokens.weight")?.first ?? 0
        let biasDeclared = config.attentionBias ?? (architecture == "qwen2")
        self.init(
            architecture: architecture,
            name: directory.lastPathComponent,
            layerCount: try required(config.numHiddenLayers, "num_hidden_layers"),
            modelDimension: dimension,
            headCount: heads,
            keyValueHeadCount: config.numKeyValueHeads ?? heads,
            headDimension: headDimension,
            feedForwardDimension: try required(config.intermediateSize, "intermediate_size"),
            vocabularySize: vocabulary,
            trainedContextLength: try required(config.maxPositionEmbeddings, "max_position_embeddings"),
            ropeTheta: config.ropeTheta ?? 10_000,
            ropeDimensionCount: headDimension,
            ropeLayout: .halves,
            declaredRoPEScaling: scaling,
            rmsNormEpsilon: Float(config.rmsNormEps ?? 1e-6),
            tiedEmbeddings: config.tieWordEmbeddings ?? (store.shape(of: "lm_head.weight") == nil),
            hasQKVBias: biasDeclared && store.shape(of: "model.layers.0.self_attn.q_proj.bias") != nil)
        try validate(source: source)
    }
}
