import Foundation
import Testing

@testable import SealFormats

@Suite("Hugging Face config.json and fixture model directories")
struct HFModelConfigTests {
    func decode(_ json: String) throws(ModelFormatError) -> HFModelConfig {
        try HFModelConfig.decode(Data(json.utf8), file: "config.json")
    }

    @Test func llama3Config() throws {
        let config = try decode("""
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 2048,
             "intermediate_size": 8192, "num_hidden_layers": 16, "num_attention_heads": 32,
             "num_key_value_heads": 8, "head_dim": 64, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
             "max_position_embeddings": 131072, "vocab_size": 128256, "tie_word_embeddings": true,
             "attention_bias": false, "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
             "torch_dtype": "bfloat16", "mlp_bias": false,
             "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
            """)
        #expect(config.architectures == ["LlamaForCausalLM"])
        #expect(config.hiddenSize == 2048 && config.numHiddenLayers == 16 && config.numKeyValueHeads == 8)
        #expect(config.rmsNormEps == 1e-5 && config.ropeTheta == 500_000)
        #expect(config.bosTokenID == 128_000 && config.bosTokenIDs == [128_000])
        #expect(config.eosTokenIDs == [128_001, 128_008, 128_009])
        #expect(config.tieWordEmbeddings == true && config.attentionBias == false)
        #expect(config.torchDType == "bfloat16")
        let scaling = try #require(config.ropeScaling)
        #expect(scaling.type == "llama3")
        #expect(scaling.factor == 32 && scaling.lowFreqFactor == 1 && scaling.highFreqFactor == 4)
        #expect(scaling.originalMaxPositionEmbeddings == 8192)
        #expect(scaling["rope_type"] == .string("llama3"))
    }

    @Test func optionalAndAlternativeSpellings() throws {
        let config = try decode("""
            {"model_type": "mistral", "sliding_window": null, "head_dim": null, "rope_scaling": null,
             "dtype": "float16", "eos_token_id": 2, "bos_token_id": null,
             "rope_parameters": {"rope_theta": 1000000, "rope_type": "yarn", "factor": 4, "beta_fast": 32, "beta_slow": 1}}
            """)
        #expect(config.slidingWindow == nil && config.headDim == nil)
        #expect(config.torchDType == "float16")
        #expect(config.eosTokenIDs == [2] && config.bosTokenIDs == nil)
        #expect(config.ropeTheta == 1_000_000)
        #expect(config.ropeScaling?.type == "yarn")
        #expect(config.ropeScaling?.betaFast == 32 && config.ropeScaling?.betaSlow == 1)
        #expect(try decode(#"{"sliding_window": 4096}"#).slidingWindow == 4096)
        #expect(try decode("{}") == HFModelConfig())
    }

    @Test func wrongTypesNameTheField() throws {
        expectFormatError(naming: "config.json", mentions: ["num_hidden_layers"]) {
            if case .invalidJSON = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try decode(#"{"num_hidden_layers": "thirty"}"#)
        }
        expectFormatError(naming: "config.json", mentions: ["eos_token_id"]) {
            if case .invalidJSON = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try decode(#"{"eos_token_id": "</s>"}"#)
        }
        expectFormatError(naming: "config.json") {
            if case .invalidJSON = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try decode("[1, 2]")
        }
    }

    @Test func missingConfigNamesTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("config.json").path
        expectFormatError(naming: path, mentions: ["config.json"]) {
            if case .cannotOpen = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try HFModelConfig.load(from: directory.url)
        }
    }

    static let fixtureModels = ["tiny-llama", "tiny-mistral", "tiny-qwen2"]

    /// The tiny models written by Tools/reference/make_tiny_hf_models.py load
    /// completely and agree with their configs.
    @Test(arguments: fixtureModels)
    func fixtureModelDirectory(_ name: String) throws {
        let directory = Paths.hfFixtures.appendingPathComponent(name)
        guard Paths.exists(directory) else {
            print("skipping \(name): \(directory.path) is not present")
            return
        }
        let config = try HFModelConfig.load(from: directory)
        let checkpoint = try SafetensorsCheckpoint(directory: directory)
        let hidden = try #require(config.hiddenSize)
        let vocabulary = try #require(config.vocabSize)
        let layers = try #require(config.numHiddenLayers)
        let heads = try #require(config.numAttentionHeads)
        let headDim = config.headDim ?? hidden / heads
        let kvHeads = config.numKeyValueHeads ?? heads

        #expect(checkpoint.shape(of: "model.embed_tokens.weight") == [vocabulary, hidden])
        #expect(checkpoint.shape(of: "model.norm.weight") == [hidden])
        for layer in 0..<layers {
            let prefix = "model.layers.\(layer)."
            #expect(checkpoint.shape(of: prefix + "self_attn.q_proj.weight") == [heads * headDim, hidden])
            #expect(checkpoint.shape(of: prefix + "self_attn.k_proj.weight") == [kvHeads * headDim, hidden])
            #expect(checkpoint.shape(of: prefix + "mlp.down_proj.weight") == [hidden, config.intermediateSize ?? 0])
        }
        #expect((checkpoint.shape(of: "lm_head.weight") == nil) == (config.tieWordEmbeddings ?? false))
        for tensorName in checkpoint.tensorNames {
            let values = try checkpoint.loadFloat32(tensorName)
            #expect(values.count == checkpoint.shape(of: tensorName)?.reduce(1, *))
            #expect(values.allSatisfy { $0.isFinite }, "\(tensorName)")
            #expect(values.contains { $0 != 0 }, "\(tensorName)")
        }
    }
}
