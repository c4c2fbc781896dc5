import Foundation
import SealFormats

/// The Hugging Face side of a merged export: `config.json`, `generation_config.json`,
/// `model.safetensors` (fp32, transformers' names, Q/K rows in the halves RoPE layout), and the
/// tokenizer files from `HFTokenizerExport`.
extension MergedModelExport {
    /// Architectures whose GGUF tensors map one to one onto transformers' Llama/Mistral classes.
    static let huggingFaceClasses = ["llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM"]

    /// One file of the Hugging Face directory (`huggingFaceFiles`).
    public func huggingFace(_ name: String) throws(SealModelError) -> ExportStream {
        let c = configuration
        guard let className = Self.huggingFaceClasses[c.architecture] else {
            throw SealModelError(.exportFailed(reason: "a Hugging Face export supports llama and mistral GGUF models, not '\(c.architecture)'"),
                                 source: file.url.path)
        }
        guard c.ropeDimensionCount == c.headDimension else {
            throw SealModelError(.exportFailed(reason: "partial rotary embeddings (\(c.ropeDimensionCount) of \(c.headDimension) channels) have no Llama config"),
                                 source: file.url.path)
        }
        switch name {
        case "config.json": return ExportStream(name: name, text: try json(modelConfig(className: className)))
        case "generation_config.json": return ExportStream(name: name, text: try json(generationConfig()))
        case "tokenizer.json": return ExportStream(name: name, text: try json(try HFTokenizerExport(metadata: file.metadata).tokenizerJSON()))
        case "tokenizer_config.json":
            return ExportStream(name: name, text: try json(try HFTokenizerExport(metadata: file.metadata).tokenizerConfig(contextLength: c.trainedContextLength)))
        case "model.safetensors": return try safetensors()
        default:
            throw SealModelError(.exportFailed(reason: "no file '\(name)' in a Hugging Face export (files: \(Self.huggingFaceFiles.joined(separator: ", ")))"))
        }
    }

    func modelConfig(className: String) -> [String: Any] {
        let c = configuration
        var config: [String: Any] = [
            "architectures": [className], "model_type": c.architecture,
            "hidden_size": c.modelDimension, "intermediate_size": c.feedForwardDimension,
            "num_hidden_layers": c.layerCount, "num_attention_heads": c.headCount,
            "num_key_value_heads": c.keyValueHeadCount, "head_dim": c.headDimension,
            "max_position_embeddings": c.trainedContextLength, "vocab_size": c.vocabularySize,
            "rms_norm_eps": Self.shortest(c.rmsNormEpsilon), "rope_theta": c.ropeTheta,
            "tie_word_embeddings": c.tiedEmbeddings, "hidden_act": "silu",
            "attention_bias": false, "mlp_bias": false, "torch_dtype": "float32", "use_cache": true,
            "rope_scaling": NSNull(),
        ]
        if let scaling = c.declaredRoPEScaling {
            var rope: [String: Any] = ["rope_type": scaling.type, "type": scaling.type, "factor": scaling.factor]
            if let original = scaling.originalContextLength { rope["original_max_position_embeddings"] = original }
            if let low = scaling.lowFrequencyFactor { rope["low_freq_factor"] = low }
            if let high = scaling.highFrequencyFactor { rope["high_freq_factor"] = high }
            config["rope_scaling"] = rope
        }
        if c.architecture == "mistral" { config["sliding_window"] = NSNull() }
        config.merge(specialTokenIDs(padding: false)) { _, id in id }
        config["seal"] = provenance
        return config
    }

    func generationConfig() -> [String: Any] { specialTokenIDs(padding: true) }

    /// `bos_token_id`, `eos_token_id` (and with `padding`, `pad_token_id`) from the GGUF
    /// tokenizer metadata, those it declares.
    func specialTokenIDs(padding: Bool) -> [String: Any] {
        var keys = [("bos_token_id", "tokenizer.ggml.bos_token_id"), ("eos_token_id", "tokenizer.ggml.eos_token_id")]
        if padding { keys.append(("pad_token_id", "tokenizer.ggml.padding_token_id")) }
        var ids: [String: Any] = [:]
        for (key, metadataKey) in keys {
            if let id = file.metadata[metadataKey]?.intValue { ids[key] = id }
        }
        return ids
    }

    /// fp32 tensors in transformers' order and names; o_proj folded.
    func safetensors() throws(SealModelError) -> ExportStream {
        let c = configuration
        let hf = TensorNaming.huggingFace, gguf = TensorNaming.gguf
        var plan: [(hfName: String, ggufName: String, transform: Transform)] = [(hf.tokenEmbedding, gguf.tokenEmbedding, .none)]
        for l in 0..<c.layerCount {
            var kinds: [(TensorNaming.LayerTensor, Transform)] = [(.attentionNorm, .none), (.query, .unpermute(heads: c.headCount)),
                                                                  (.key, .unpermute(heads: c.keyValueHeadCount)), (.value, .none)]
            if c.hasQKVBias {
                kinds += [(.queryBias, .unpermute(heads: c.headCount)), (.keyBias, .unpermute(heads: c.keyValueHeadCount)), (.valueBias, .none)]
            }
            kinds += [(.output, .fold(layer: l)), (.feedForwardNorm, .none), (.gate, .none), (.up, .none), (.down, .none)]
            plan += kinds.map { (hf.name(layer: l, $0.0), gguf.name(layer: l, $0.0), $0.1) }
        }
        plan.append((hf.outputNorm, gguf.outputNorm, .none))
        if !c.tiedEmbeddings { plan.append((hf.lmHead, gguf.lmHead, .none)) }

        var entries: [SafetensorsHeader.Entry] = []
        for item in plan {
            guard let shape = file.shape(of: item.ggufName) else {
                throw SealModelError(.missingTensor(item.ggufName), source: file.url.path)
            }
            entries.append(.init(name: item.hfName, dtype: .f32, shape: shape))
        }
        let header: SafetensorsHeader
        do {
            header = try SafetensorsHeader(entries: entries, metadata: provenance.merging(["format": "pt"]) { a, _ in a })
        } catch { throw SealModelError(error) }
        var pieces: [ExportStream.Piece] = [.bytes(header.serialized())]
        for (item, entry) in zip(plan, entries) {
            let export = self
            pieces.append(.produced(count: entry.byteCount) { () throws(SealModelError) -> [UInt8] in
                FloatBytes.float32(try export.huggingFaceValues(item.ggufName, item.transform))
            })
        }
        return ExportStream(name: "model.safetensors", pieces: pieces)
    }

    enum Transform: Sendable {
        case none
        /// GGUF Q/K rows are permuted for interleaved RoPE; transformers rotates halves.
        case unpermute(heads: Int)
        case fold(layer: Int)
    }

    func huggingFaceValues(_ name: String, _ transform: Transform) throws(SealModelError) -> [Float] {
        switch transform {
        case .fold(let layer): return try foldedOutput(layer: layer)
        case .none, .unpermute:
            let values: [Float]
            do { values = try file.loadFloat32(name) } catch { throw SealModelError(error) }
            guard case .unpermute(let heads) = transform, configuration.ropeLayout == .interleaved else { return values }
            return Self.halvesLayout(values, heads: heads, headDimension: configuration.headDimension)
        }
    }

    /// Undoes llama.cpp's Q/K row permutation: within each head, GGUF row `2i + j` is
    /// transformers' row `j · d/2 + i` (d = head dimension). Works for weights and biases.
    static func halvesLayout(_ values: [Float], heads: Int, headDimension d: Int) -> [Float] {
        let rows = heads * d
        guard rows > 0, values.count % rows == 0, d % 2 == 0 else { return values }
        let width = values.count / rows
        var out = [Float](repeating: 0, count: values.count)
        for h in 0..<heads {
            for i in 0..<(d / 2) {
                for j in 0..<2 {
                    let source = (h * d + 2 * i + j) * width
                    let target = (h * d + j * (d / 2) + i) * width
                    out[target..<(target + width)] = values[source..<(source + width)]
                }
            }
        }
        return out
    }

    /// `Float` written with the fewest digits that read back to it (1e-05, not 9.99999974e-06).
    static func shortest(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }

    func json(_ object: [String: Any]) throws(SealModelError) -> String {
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw SealModelError(.exportFailed(reason: "cannot encode JSON: \(error.localizedDescription)"))
        }
    }
}
