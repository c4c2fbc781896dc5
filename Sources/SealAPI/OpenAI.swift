import Foundation

/// `stop` in OpenAI requests: one string or a list.
public struct StopSequences: Codable, Sendable, Equatable {
    public var values: [String]
    public init(_ values: [String]) { self.values = values }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let one = try? c.decode(String.self) { values = [one] } else { values = try c.decode([String].self) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }
}

/// Fields OpenAI clients commonly send. seal honours each or answers 422 naming it.
enum OpenAICommonKeys: String, CodingKey, CaseIterable {
    case model, maxTokens, maxCompletionTokens, temperature, topP, n, stream, streamOptions, stop, seed
    case presencePenalty, frequencyPenalty, user, logprobs, topLogprobs, logitBias
    case prompt, messages, echo, suffix, bestOf, responseFormat
    /// seal extensions.
    case topK, repetitionPenalty, contextExtension, scaleSet
}

/// `POST /v1/completions` and `POST /v1/chat/completions` (one type: `prompt` or `messages`).
public struct OpenAIRequest: Decodable, Sendable, Equatable {
    public var model: String?
    public var prompt: CompletionPrompt?
    public var messages: [ChatMessageBody]?
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var n: Int?
    public var stream: Bool?
    public var stop: StopSequences?
    public var seed: UInt64?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var topK: Int?
    public var repetitionPenalty: Double?
    public var contextExtension: ContextExtensionChoice?
    public var scaleSet: String?
    /// Completions: how many alternatives per token (0...5); chat: whether to report logprobs.
    public var logprobs: LogprobsRequest?
    /// Chat: alternatives per token (0...20).
    public var topLogprobs: Int?
    /// Completions: return the prompt (and with `logprobs`, its tokens' log-probabilities) before the completion.
    public var echo: Bool?
    /// Token id (as a string) to a bias in -100...100 added to its logit.
    public var logitBias: [String: Double]?
    public var bestOf: Int?
    public var suffix: String?
    /// Only `{"type": "text"}` is honoured; anything else is 422.
    public var responseFormat: JSONValue?
    /// `{"include_usage": true}` sends a last chunk with `usage` and no choices.
    public var streamOptions: JSONValue?
    /// The caller's end-user id; seal keeps no record of it.
    public var user: String?

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(OpenAICommonKeys.self)
        let c = try decoder.container(keyedBy: OpenAICommonKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        prompt = try c.decodeIfPresent(CompletionPrompt.self, forKey: .prompt)
        messages = try c.decodeIfPresent([ChatMessageBody].self, forKey: .messages)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
            ?? c.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        n = try c.decodeIfPresent(Int.self, forKey: .n)
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream)
        stop = try c.decodeIfPresent(StopSequences.self, forKey: .stop)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        presencePenalty = try c.decodeIfPresent(Double.self, forKey: .presencePenalty)
        frequencyPenalty = try c.decodeIfPresent(Double.self, forKey: .frequencyPenalty)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
        contextExtension = try c.decodeIfPresent(ContextExtensionChoice.self, forKey: .contextExtension)
        scaleSet = try c.decodeIfPresent(String.self, forKey: .scaleSet)
        logprobs = try c.decodeIfPresent(LogprobsRequest.self, forKey: .logprobs)
        topLogprobs = try c.decodeIfPresent(Int.self, forKey: .topLogprobs)
        echo = try c.decodeIfPresent(Bool.self, forKey: .echo)
        logitBias = try c.decodeIfPresent([String: Double].self, forKey: .logitBias)
        bestOf = try c.decodeIfPresent(Int.self, forKey: .bestOf)
        suffix = try c.decodeIfPresent(String.self, forKey: .suffix)
        responseFormat = try c.decodeIfPresent(JSONValue.self, forKey: .responseFormat)
        streamOptions = try c.decodeIfPresent(JSONValue.self, forKey: .streamOptions)
        user = try c.decodeIfPresent(String.self, forKey: .user)
    }

    public init(model: String? = nil, prompt: CompletionPrompt? = nil, messages: [ChatMessageBody]? = nil, maxTokens: Int? = nil,
                temperature: Double? = nil, stream: Bool? = nil) {
        self.model = model
        self.prompt = prompt
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stream = stream
    }
}

/// OpenAI's `usage` object has exactly seal's fields (prompt, completion, total tokens).
public typealias OpenAIUsage = Usage

/// A `text_completion` or `chat.completion` (and their `.chunk` streaming forms).
public struct OpenAIResponse: Codable, Sendable, Equatable {
    public struct Choice: Codable, Sendable, Equatable {
        public var index: Int
        /// Completions.
        public var text: String?
        /// Chat, non-streaming.
        public var message: ChatMessageBody?
        /// Chat, streaming.
        public var delta: Delta?
        /// stop or length (null while streaming).
        public var finishReason: String?
        /// Present when the request asked for `logprobs`.
        public var logprobs: ChoiceLogprobs?
        public init(index: Int = 0, text: String? = nil, message: ChatMessageBody? = nil, delta: Delta? = nil,
                    finishReason: String? = nil, logprobs: ChoiceLogprobs? = nil) {
            self.index = index
            self.logprobs = logprobs
            self.text = text
            self.message = message
            self.delta = delta
            self.finishReason = finishReason
        }
    }
    public struct Delta: Codable, Sendable, Equatable {
        public var role: String?
        public var content: String?
        public init(role: String? = nil, content: String? = nil) { self.role = role; self.content = content }
    }
    public var id: String
    public var object: String
    public var created: Int
    public var model: String
    public var choices: [Choice]
    public var usage: OpenAIUsage?

    public init(id: String, object: String, created: Int, model: String, choices: [Choice], usage: OpenAIUsage?) {
        self.id = id
        self.object = object
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

/// `GET /v1/models`.
public struct OpenAIModelList: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var created: Int
        public var ownedBy: String
        public init(id: String, created: Int) {
            self.id = id
            object = "model"
            self.created = created
            ownedBy = "seal"
        }
    }
    public var object: String
    public var data: [Entry]
    public init(data: [Entry]) { object = "list"; self.data = data }
}
