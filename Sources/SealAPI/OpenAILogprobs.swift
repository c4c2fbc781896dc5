/// `prompt` of `POST /v1/completions`: a string, a list of strings, a list of
/// token ids, or a list of such lists; each string or id list is one prompt and
/// gets one choice, in order.
public enum CompletionPrompt: Codable, Sendable, Equatable {
    case text(String)
    case texts([String])
    case tokens([Int])
    case tokenLists([[Int]])

    /// One prompt: text to tokenize, or token ids used exactly as given.
    public enum Item: Sendable, Equatable {
        case text(String)
        case tokens([Int])
    }

    /// The prompts, in the order their choices are returned.
    public var items: [Item] {
        switch self {
        case .text(let text): [.text(text)]
        case .texts(let texts): texts.map(Item.text)
        case .tokens(let ids): [.tokens(ids)]
        case .tokenLists(let lists): lists.map(Item.tokens)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) { self = .text(text) }
        else if let texts = try? c.decode([String].self) { self = .texts(texts) }
        else if let ids = try? c.decode([Int].self) { self = .tokens(ids) }
        else if let lists = try? c.decode([[Int]].self) { self = .tokenLists(lists) }
        else {
            throw DecodingError.typeMismatch(String.self, .init(
                codingPath: decoder.codingPath,
                debugDescription: "a string, a list of strings, a list of token ids or a list of token-id lists"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let text): try c.encode(text)
        case .texts(let texts): try c.encode(texts)
        case .tokens(let ids): try c.encode(ids)
        case .tokenLists(let lists): try c.encode(lists)
        }
    }
}

/// `logprobs` in a request: a count of alternatives (completions, 0...5) or a
/// switch (chat, with the count in `top_logprobs`).
public enum LogprobsRequest: Codable, Sendable, Equatable {
    case count(Int)
    case enabled(Bool)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let flag = try? c.decode(Bool.self) { self = .enabled(flag) } else { self = .count(try c.decode(Int.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .count(let n): try c.encode(n)
        case .enabled(let flag): try c.encode(flag)
        }
    }
}

/// A completion choice's `logprobs` in OpenAI's legacy shape: parallel lists,
/// one entry per token (prompt tokens first when echoed; the first prompt token
/// has no log-probability, so `null`).
public struct CompletionLogprobs: Codable, Sendable, Equatable {
    public var tokens: [String]
    public var tokenLogprobs: [Double?]
    /// Each position's most likely tokens by their text (`null` where
    /// `token_logprobs` is).
    public var topLogprobs: [[String: Double]?]
    /// Where each token starts in the choice's `text`, in characters.
    public var textOffset: [Int]

    public init(tokens: [String] = [], tokenLogprobs: [Double?] = [], topLogprobs: [[String: Double]?] = [],
                textOffset: [Int] = []) {
        self.tokens = tokens
        self.tokenLogprobs = tokenLogprobs
        self.topLogprobs = topLogprobs
        self.textOffset = textOffset
    }
}

/// A chat choice's `logprobs`: one entry per generated token.
public struct ChatLogprobs: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var token: String
        public var logprob: Double
        /// The token's UTF-8 bytes (a token may hold part of a character).
        public var bytes: [Int]
        public var topLogprobs: [Alternative]
        public init(token: String, logprob: Double, bytes: [Int], topLogprobs: [Alternative]) {
            self.token = token
            self.logprob = logprob
            self.bytes = bytes
            self.topLogprobs = topLogprobs
        }
    }
    public struct Alternative: Codable, Sendable, Equatable {
        public var token: String
        public var logprob: Double
        public var bytes: [Int]
        public init(token: String, logprob: Double, bytes: [Int]) {
            self.token = token
            self.logprob = logprob
            self.bytes = bytes
        }
    }
    public var content: [Entry]
    public init(content: [Entry]) { self.content = content }
}

/// A choice's `logprobs`, in the completions or the chat shape.
public enum ChoiceLogprobs: Codable, Sendable, Equatable {
    case completion(CompletionLogprobs)
    case chat(ChatLogprobs)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let chat = try? c.decode(ChatLogprobs.self) { self = .chat(chat) } else { self = .completion(try c.decode(CompletionLogprobs.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .completion(let value): try c.encode(value)
        case .chat(let value): try c.encode(value)
        }
    }
}
