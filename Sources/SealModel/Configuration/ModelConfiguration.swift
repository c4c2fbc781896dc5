/// Which pairs of a head's channels RoPE rotates together.
///
/// GGUF converters permute the Q and K weight rows so that RoPE rotates
/// adjacent pairs `(x[2i], x[2i+1])`; Hugging Face checkpoints rotate halves
/// `(x[i], x[i + d/2])`. The two are equivalent only with the matching weights,
/// so the layout travels with the weights.
public enum RoPELayout: String, Sendable, Codable {
    case interleaved
    case halves
}

/// RoPE scaling declared by the model itself (HF `rope_scaling`, GGUF `rope.scaling.*`).
public struct DeclaredRoPEScaling: Sendable, Equatable, Codable {
    public var type: String
    public var factor: Double
    public var originalContextLength: Int?
    public var lowFrequencyFactor: Double?
    public var highFrequencyFactor: Double?

    public init(type: String, factor: Double, originalContextLength: Int? = nil,
                lowFrequencyFactor: Double? = nil, highFrequencyFactor: Double? = nil) {
        self.type = type
        self.factor = factor
        self.originalContextLength = originalContextLength
        self.lowFrequencyFactor = lowFrequencyFactor
        self.highFrequencyFactor = highFrequencyFactor
    }
}

/// The hyper-parameters of a Llama-family decoder, independent of file format.
public struct ModelConfiguration: Sendable, Equatable, Codable {
    /// "llama", "mistral" or "qwen2".
    public var architecture: String
    public var name: String
    public var layerCount: Int
    public var modelDimension: Int
    public var headCount: Int
    public var keyValueHeadCount: Int
    public var headDimension: Int
    public var feedForwardDimension: Int
    public var vocabularySize: Int
    /// The context length the model was trained with.
    public var trainedContextLength: Int
    public var ropeTheta: Double
    /// Channels of each head that RoPE rotates (usually the whole head).
    public var ropeDimensionCount: Int
    public var ropeLayout: RoPELayout
    public var declaredRoPEScaling: DeclaredRoPEScaling?
    public var rmsNormEpsilon: Float
    public var tiedEmbeddings: Bool
    public var hasQKVBias: Bool

    public init(
        architecture: String = "llama", name: String = "", layerCount: Int, modelDimension: Int,
        headCount: Int, keyValueHeadCount: Int, headDimension: Int, feedForwardDimension: Int,
        vocabularySize: Int, trainedContextLength: Int, ropeTheta: Double = 10_000,
        ropeDimensionCount: Int? = nil, ropeLayout: RoPELayout = .interleaved,
        declaredRoPEScaling: DeclaredRoPEScaling? = nil, rmsNormEpsilon: Float = 1e-5,
        tiedEmbeddings: Bool = false, hasQKVBias: Bool = false
    ) {
        self.architecture = architecture
        self.name = name
        self.layerCount = layerCount
        self.modelDimension = modelDimension
        self.headCount = headCount
        self.keyValueHeadCount = keyValueHeadCount
        self.headDimension = headDimension
        self.feedForwardDimension = feedForwardDimension
        self.vocabularySize = vocabularySize
        self.trainedContextLength = trainedContextLength
        self.ropeTheta = ropeTheta
        self.ropeDimensionCount = ropeDimensionCount ?? headDimension
        self.ropeLayout = ropeLayout
        self.declaredRoPEScaling = declaredRoPEScaling
        self.rmsNormEpsilon = rmsNormEpsilon
        self.tiedEmbeddings = tiedEmbeddings
        self.hasQKVBias = hasQKVBias
    }

    /// Width of the concatenated query heads (the input of o_proj).
    public var queryDimension: Int { headCount * headDimension }
    /// Width of the concatenated key (or value) heads.
    public var keyValueDimension: Int { keyValueHeadCount * headDimension }
    /// Query heads that share one key/value head (grouped-query attention).
    public var queriesPerKeyValueHead: Int { headCount / keyValueHeadCount }

    /// The longest trained context accepted: 2^20 tokens, beyond every model served and
    /// small enough that the sizes derived from it (KV cache, position tables) cannot
    /// overflow; a corrupt `llama.context_length` of 2^31 is refused here rather than
    /// aborting an allocation.
    public static let maximumContextLength = 1 << 20

    /// Checks the relations the transformer relies on.
    public func validate(source: String?) throws(SealModelError) {
        func check(_ ok: Bool, _ key: String, _ reason: String) throws(SealModelError) {
            if !ok { throw SealModelError(.invalidConfiguration(key: key, reason: reason), source: source) }
        }
        let supported = ["llama", "mistral", "qwen2"]
        if !supported.contains(architecture) {
            throw SealModelError(.unsupportedArchitecture(architecture), source: source)
        }
        try check(layerCount > 0 && layerCount <= 1024, "layer count", "\(layerCount) is not in 1...1024")
        try check(modelDimension > 0 && modelDimension <= 65_536, "model dimension", "\(modelDimension) is not in 1...65536")
        try check(headCount > 0 && headCount <= 1024, "head count", "\(headCount) is not in 1...1024")
        try check(keyValueHeadCount > 0 && headCount % keyValueHeadCount == 0, "key/value head count",
                  "\(keyValueHeadCount) must be positive and divide the head count \(headCount)")
        try check(headDimension > 0 && headDimension % 2 == 0 && headDimension <= 1024, "head dimension",
                  "\(headDimension) must be even and in 2...1024")
        try check(ropeDimensionCount > 0 && ropeDimensionCount % 2 == 0 && ropeDimensionCount <= headDimension,
                  "rope dimension count", "\(ropeDimensionCount) must be even and at most the head dimension \(headDimension)")
        try check(feedForwardDimension > 0 && feedForwardDimension <= 1 << 20, "feed-forward dimension",
                  "\(feedForwardDimension) is out of range")
        try check(vocabularySize > 0 && vocabularySize <= 1 << 24, "vocabulary size", "\(vocabularySize) is out of range")
        try check(trainedContextLength > 0 && trainedContextLength <= Self.maximumContextLength, "context length",
                  "\(trainedContextLength) is not in 1...\(Self.maximumContextLength)")
        try check(ropeTheta > 0 && ropeTheta.isFinite, "rope theta", "\(ropeTheta) must be positive")
        try check(rmsNormEpsilon > 0 && rmsNormEpsilon < 1, "rms norm epsilon", "\(rmsNormEpsilon) must be in (0, 1)")
    }

    /// Parameters in the matrices that every token multiplies (embedding lookup excluded,
    /// LM head included), for FLOP and bandwidth accounting.
    public var matrixParameterCount: Int {
        let attention = modelDimension * (queryDimension + 2 * keyValueDimension) + queryDimension * modelDimension
        let ffn = 3 * modelDimension * feedForwardDimension
        return layerCount * (attention + ffn)
    }
}
