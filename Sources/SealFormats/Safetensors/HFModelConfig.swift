import Foundation

/// The fields of a Hugging Face `config.json` that a Llama-family loader needs.
///
/// Every field is optional because configs differ by architecture and by the
/// `transformers` version that wrote them; the model loader decides which are
/// required and what the defaults are. Unknown fields are ignored. Two newer
/// spellings are accepted: `dtype` for `torch_dtype`, and `rope_parameters`
/// (transformers 5) for `rope_theta` and `rope_scaling`.
public struct HFModelConfig: Decodable, Sendable, Equatable {
    public var architectures: [String]?
    public var modelType: String?
    public var hiddenSize: Int?
    public var intermediateSize: Int?
    public var numHiddenLayers: Int?
    public var numAttentionHeads: Int?
    public var numKeyValueHeads: Int?
    public var headDim: Int?
    public var rmsNormEps: Double?
    public var ropeTheta: Double?
    public var maxPositionEmbeddings: Int?
    public var vocabSize: Int?
    public var tieWordEmbeddings: Bool?
    public var attentionBias: Bool?
    /// `bos_token_id`, which may be one id or a list.
    public var bosTokenIDs: [Int]?
    /// `eos_token_id`, which may be one id or a list (chat models often stop on several).
    public var eosTokenIDs: [Int]?
    public var torchDType: String?
    /// `sliding_window`; `null` or `false` read as `nil`.
    public var slidingWindow: Int?
    public var ropeScaling: RopeScaling?

    /// The first `bos_token_id`.
    public var bosTokenID: Int? { bosTokenIDs?.first }

    enum CodingKeys: String, CodingKey {
        case architectures
        case modelType = "model_type"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case maxPositionEmbeddings = "max_position_embeddings"
        case vocabSize = "vocab_size"
        case tieWordEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case bosTokenID = "bos_token_id"
        case eosTokenID = "eos_token_id"
        case torchDType = "torch_dtype"
        case dtype
        case slidingWindow = "sliding_window"
        case ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize)
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize)
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads)
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        rmsNormEps = try c.decodeIfPresent(Double.self, forKey: .rmsNormEps)
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings)
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings)
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias)
        bosTokenIDs = try Self.tokenIDs(c, .bosTokenID)
        eosTokenIDs = try Self.tokenIDs(c, .eosTokenID)
        torchDType = try c.decodeIfPresent(String.self, forKey: .torchDType)
            ?? c.decodeIfPresent(String.self, forKey: .dtype)
        switch try c.decodeIfPresent(JSONValue.self, forKey: .slidingWindow) {
        case .int(let window)?: slidingWindow = window
        case nil, .null?, .bool(false)?: slidingWindow = nil
        case let other?:
            throw DecodingError.typeMismatch(
                Int.self,
                .init(codingPath: c.codingPath + [CodingKeys.slidingWindow],
                      debugDescription: "expected an integer or null, found \(other)"))
        }
        ropeScaling = try c.decodeIfPresent(RopeScaling.self, forKey: .ropeScaling)
        if let parameters = try c.decodeIfPresent(RopeScaling.self, forKey: .ropeParameters) {
            ropeTheta = ropeTheta ?? parameters["rope_theta"]?.doubleValue
            if ropeScaling == nil, let type = parameters.type, type != "default" {
                ropeScaling = parameters
            }
        }
    }

    private static func tokenIDs(
        _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [Int]? {
        switch try c.decodeIfPresent(JSONValue.self, forKey: key) {
        case nil, .null?:
            return nil
        case .int(let id)?:
            return [id]
        case .array(let ids)?:
            return try ids.map { id in
                guard let value = id.intValue else {
                    throw DecodingError.typeMismatch(
                        Int.self, .init(codingPath: c.codingPath + [key], debugDescription: "found \(id) in the list"))
                }
                return value
            }
        case let other?:
            throw DecodingError.typeMismatch(
                Int.self,
                .init(codingPath: c.codingPath + [key], debugDescription: "expected an id or a list of ids, found \(other)"))
        }
    }

    /// Reads `config.json` from a model directory.
    public static func load(from directory: URL) throws(ModelFormatError) -> HFModelConfig {
        let url = directory.appendingPathComponent("config.json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFormatError(
                file: url.path,
                kind: .cannotOpen(reason: "\(error.localizedDescription); a Hugging Face model directory needs config.json"))
        }
        return try decode(data, file: url.path)
    }

    /// Decodes config JSON; `file` names the source in errors.
    public static func decode(_ data: Data, file: String) throws(ModelFormatError) -> HFModelConfig {
        do {
            return try JSONDecoder().decode(HFModelConfig.self, from: data)
        } catch {
            throw ModelFormatError(file: file, kind: .invalidJSON(reason: SafetensorsHeaderParser.describe(error)))
        }
    }
}

/// `rope_scaling` from `config.json`: a free-form object whose keys depend on
/// the scaling method, with typed accessors for the ones Llama-family models use.
public struct RopeScaling: Decodable, Sendable, Equatable {
    /// All entries as written.
    public var values: [String: JSONValue]

    public init(values: [String: JSONValue]) {
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public subscript(key: String) -> JSONValue? { values[key] }

    /// The method, e.g. "llama3", "linear", "dynamic", "yarn" (`rope_type`, or the older `type`).
    public var type: String? { values["rope_type"]?.stringValue ?? values["type"]?.stringValue }
    public var factor: Double? { values["factor"]?.doubleValue }
    public var originalMaxPositionEmbeddings: Int? { values["original_max_position_embeddings"]?.intValue }
    public var lowFreqFactor: Double? { values["low_freq_factor"]?.doubleValue }
    public var highFreqFactor: Double? { values["high_freq_factor"]?.doubleValue }
    public var betaFast: Double? { values["beta_fast"]?.doubleValue }
    public var betaSlow: Double? { values["beta_slow"]?.doubleValue }
}
