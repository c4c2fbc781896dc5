/// One token's log-probability in the native API: natural log of the softmax of
/// the model's own logits (before temperature, penalties or biases).
public struct TokenLogprobBody: Codable, Sendable, Equatable {
    /// One of the most likely tokens at a position.
    public struct Alternative: Codable, Sendable, Equatable {
        public var token: Int
        public var text: String
        public var logprob: Double
        public init(token: Int, text: String, logprob: Double) {
            self.token = token
            self.text = text
            self.logprob = logprob
        }
    }
    public var token: Int
    public var text: String
    public var logprob: Double
    /// Most likely first; empty when no alternatives were asked for.
    public var top: [Alternative]
    public init(token: Int, text: String, logprob: Double, top: [Alternative]) {
        self.token = token
        self.text = text
        self.logprob = logprob
        self.top = top
    }
}

/// `POST /api/score`: how likely the model finds `continuation` after `context`,
/// from one prefill and no sampling (what evaluation harnesses call log-likelihood).
/// Give each part as text or as token ids.
public struct ScoreRequest: Codable, Sendable, Equatable {
    public var context: String?
    public var contextTokens: [Int]?
    public var continuation: String?
    public var continuationTokens: [Int]?
    /// Alternatives per continuation token (0...20, default 0).
    public var top: Int?
    public var contextExtension: ContextExtensionChoice?
    public var scaleSet: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case context, contextTokens, continuation, continuationTokens, top, contextExtension, scaleSet
    }

    public init(context: String? = nil, contextTokens: [Int]? = nil, continuation: String? = nil,
                continuationTokens: [Int]? = nil, top: Int? = nil) {
        self.context = context
        self.contextTokens = contextTokens
        self.continuation = continuation
        self.continuationTokens = continuationTokens
        self.top = top
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        context = try c.decodeIfPresent(String.self, forKey: .context)
        contextTokens = try c.decodeIfPresent([Int].self, forKey: .contextTokens)
        continuation = try c.decodeIfPresent(String.self, forKey: .continuation)
        continuationTokens = try c.decodeIfPresent([Int].self, forKey: .continuationTokens)
        top = try c.decodeIfPresent(Int.self, forKey: .top)
        contextExtension = try c.decodeIfPresent(ContextExtensionChoice.self, forKey: .contextExtension)
        scaleSet = try c.decodeIfPresent(String.self, forKey: .scaleSet)
    }
}

/// The result of `POST /api/score`.
public struct ScoreResponse: Codable, Sendable, Equatable {
    /// Sum of the continuation tokens' log-probabilities.
    public var logprob: Double
    /// Whether every continuation token is the model's most likely one (greedy decoding would produce it).
    public var greedy: Bool
    /// One entry per continuation token.
    public var tokens: [TokenLogprobBody]
    public var contextTokenCount: Int
    public var model: String
    public init(logprob: Double, greedy: Bool, tokens: [TokenLogprobBody], contextTokenCount: Int, model: String) {
        self.logprob = logprob
        self.greedy = greedy
        self.tokens = tokens
        self.contextTokenCount = contextTokenCount
        self.model = model
    }
}
