/// One message of a conversation.
public struct ChatMessageBody: Codable, Sendable, Equatable {
    public var role: String
    public var content: String

    enum CodingKeys: String, CodingKey, CaseIterable { case role, content }

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(String.self, forKey: .role)
        content = try c.decode(String.self, forKey: .content)
    }
}

/// A context-extension plugin and its parameters, chosen per request.
public struct ContextExtensionChoice: Codable, Sendable, Equatable {
    /// Plugin name, e.g. "linear".
    public var plugin: String
    public var parameters: [String: JSONValue]

    enum CodingKeys: String, CodingKey, CaseIterable { case plugin, parameters }

    public init(plugin: String, parameters: [String: JSONValue] = [:]) {
        self.plugin = plugin
        self.parameters = parameters
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        plugin = try c.decode(String.self, forKey: .plugin)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters) ?? [:]
    }
}

/// `POST /api/generate`: exactly one of `prompt` (raw completion) or `messages` (chat template applied).
public struct GenerateRequest: Codable, Sendable, Equatable {
    public var prompt: String?
    public var messages: [ChatMessageBody]?
    public var maxTokens: Int?
    public var temperature: Double?
    public var topK: Int?
    public var topP: Double?
    public var repetitionPenalty: Double?
    public var seed: UInt64?
    public var stop: [String]?
    /// Stream tokens as server-sent events (`token`, then `done`).
    public var stream: Bool?
    public var contextExtension: ContextExtensionChoice?
    /// Id of a scale-set artifact to apply (folded into o_proj).
    public var scaleSet: String?
    /// Context window for this request; omitted = the model's.
    public var contextLength: Int?
    /// The prompt as token ids, used exactly as given (no special tokens added); instead of `prompt` or `messages`.
    public var promptTokens: [Int]?
    /// Report each generated token's log-probability with this many alternatives (0...20).
    public var logprobs: Int?
    /// Token id (as a string, as in OpenAI's `logit_bias`) to a bias in -100...100 added to its logit before sampling.
    public var logitBias: [String: Double]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case prompt, messages, maxTokens, temperature, topK, topP, repetitionPenalty, seed, stop, stream
        case contextExtension, scaleSet, contextLength, promptTokens, logprobs, logitBias
    }

    public init(prompt: String? = nil, messages: [ChatMessageBody]? = nil, maxTokens: Int? = nil,
                temperature: Double? = nil, topK: Int? = nil, topP: Double? = nil, repetitionPenalty: Double? = nil,
                seed: UInt64? = nil, stop: [String]? = nil, stream: Bool? = nil,
                contextExtension: ContextExtensionChoice? = nil, scaleSet: String? = nil, contextLength: Int? = nil) {
        self.prompt = prompt
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
        self.stop = stop
        self.stream = stream
        self.contextExtension = contextExtension
        self.scaleSet = scaleSet
        self.contextLength = contextLength
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try c.decodeIfPresent(String.self, forKey: .prompt)
        messages = try c.decodeIfPresent([ChatMessageBody].self, forKey: .messages)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        stop = try c.decodeIfPresent([String].self, forKey: .stop)
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream)
        contextExtension = try c.decodeIfPresent(ContextExtensionChoice.self, forKey: .contextExtension)
        scaleSet = try c.decodeIfPresent(String.self, forKey: .scaleSet)
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength)
        promptTokens = try c.decodeIfPresent([Int].self, forKey: .promptTokens)
        logprobs = try c.decodeIfPresent(Int.self, forKey: .logprobs)
        logitBias = try c.decodeIfPresent([String: Double].self, forKey: .logitBias)
    }
}

public struct Usage: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        totalTokens = promptTokens + completionTokens
    }
}

public struct Timings: Codable, Sendable, Equatable {
    public var queueSeconds: Double
    public var prefillSeconds: Double
    public var decodeSeconds: Double
    public var prefillTokensPerSecond: Double
    public var decodeTokensPerSecond: Double
    public init(queueSeconds: Double, prefillSeconds: Double, decodeSeconds: Double,
                prefillTokensPerSecond: Double, decodeTokensPerSecond: Double) {
        self.queueSeconds = queueSeconds
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.decodeTokensPerSecond = decodeTokensPerSecond
    }
}

/// The result of `POST /api/generate` (and the data of the final `done` event when streaming).
public struct GenerateResponse: Codable, Sendable, Equatable {
    public var text: String
    /// stop, stop_string, length, context_full, cancelled.
    public var finishReason: String
    public var usage: Usage
    public var timings: Timings
    public var model: String
    public var contextExtension: String?
    public var scaleSet: String?
    /// One entry per generated token when the request asked for `logprobs`.
    public var logprobs: [TokenLogprobBody]?

    public init(text: String, finishReason: String, usage: Usage, timings: Timings, model: String,
                contextExtension: String? = nil, scaleSet: String? = nil, logprobs: [TokenLogprobBody]? = nil) {
        self.logprobs = logprobs
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.timings = timings
        self.model = model
        self.contextExtension = contextExtension
        self.scaleSet = scaleSet
    }
}

/// Data of a streamed `token` event.
public struct TokenEvent: Codable, Sendable, Equatable {
    public var text: String
    /// With `logprobs` in the request: the tokens decided since the previous event (a token whose
    /// text is held back comes with a later event; `done` holds the whole list).
    public var logprobs: [TokenLogprobBody]?
    public init(text: String, logprobs: [TokenLogprobBody]? = nil) {
        self.text = text
        self.logprobs = logprobs
    }
}

/// `POST /api/tokenize`.
public struct TokenizeRequest: Codable, Sendable, Equatable {
    public var text: String
    public var addSpecialTokens: Bool?
    public var parseSpecialTokens: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable { case text, addSpecialTokens, parseSpecialTokens }

    public init(text: String, addSpecialTokens: Bool? = nil, parseSpecialTokens: Bool? = nil) {
        self.text = text
        self.addSpecialTokens = addSpecialTokens
        self.parseSpecialTokens = parseSpecialTokens
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        addSpecialTokens = try c.decodeIfPresent(Bool.self, forKey: .addSpecialTokens)
        parseSpecialTokens = try c.decodeIfPresent(Bool.self, forKey: .parseSpecialTokens)
    }
}

public struct TokenizeResponse: Codable, Sendable, Equatable {
    public var tokens: [Int]
    /// The text of each token, for people.
    public var pieces: [String]
    public var count: Int
    public init(tokens: [Int], pieces: [String]) {
        self.tokens = tokens
        self.pieces = pieces
        count = tokens.count
    }
}
