import SealTokenizer

/// How the next token is chosen from the logits.
///
/// Defaults follow llama.cpp's (temperature 0.8, top-k 40, top-p 0.95, no
/// repetition penalty) so results are comparable.
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// 0 means greedy (argmax); higher is more random.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 disables.
    public var topK: Int
    /// Keep the smallest set of tokens whose probability reaches `topP`; 1 disables.
    public var topP: Float
    /// Divides positive (multiplies negative) logits of recently seen tokens; 1 disables.
    public var repetitionPenalty: Float
    /// How many recent tokens the repetition penalty looks at.
    public var repetitionWindow: Int
    /// Seed for reproducible sampling; `nil` draws one from the system.
    public var seed: UInt64?
    /// Added to a token's logit before sampling (OpenAI's `logit_bias`: -100 bans
    /// a token, 100 all but forces it); each bias in `-100...100`.
    public var logitBias: [TokenID: Float]

    /// The most tokens one request may bias (each entry costs work on every token).
    public static let maximumBiasedTokens = 1024

    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95,
                repetitionPenalty: Float = 1, repetitionWindow: Int = 64, seed: UInt64? = nil,
                logitBias: [TokenID: Float] = [:]) {
        self.logitBias = logitBias
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }

    /// Always the most likely token.
    public static let greedy = SamplingParameters(temperature: 0, topK: 1, topP: 1)

    /// Rejects values that have no meaning, with the reason.
    public func validate() throws(GenerationError) {
        func fail(_ field: String, _ reason: String) -> GenerationError { GenerationError(.invalidParameter(field, reason)) }
        guard temperature.isFinite, temperature >= 0, temperature <= 100 else { throw fail("temperature", "must be in 0...100, got \(temperature)") }
        guard topK >= 0 else { throw fail("top_k", "must be 0 (off) or positive, got \(topK)") }
        guard topP.isFinite, topP > 0, topP <= 1 else { throw fail("top_p", "must be in (0, 1], got \(topP)") }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw fail("repetition_penalty", "must be positive, got \(repetitionPenalty)")
        }
        guard logitBias.count <= Self.maximumBiasedTokens else {
            throw fail("logit_bias", "at most \(Self.maximumBiasedTokens) tokens may be biased, got \(logitBias.count)")
        }
        for (token, bias) in logitBias where token < 0 || !bias.isFinite || abs(bias) > 100 {
            throw fail("logit_bias", "token ids must be non-negative and biases in -100...100, got \(token): \(bias)")
        }
        guard repetitionWindow >= 0 else { throw fail("repetition_window", "must be non-negative, got \(repetitionWindow)") }
    }
}
