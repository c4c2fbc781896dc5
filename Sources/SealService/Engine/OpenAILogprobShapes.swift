import SealAPI
import SealGeneration
import SealTokenizer

/// The generator's log-probabilities in OpenAI's two response shapes.
enum OpenAILogprobShapes {
    /// The legacy completions shape: parallel lists over the echoed prompt (its
    /// first token without a log-probability) and the generated tokens, with
    /// `text_offset` counting characters of the choice's text.
    static func completion(prompt: [TokenID]?, promptLogprobs: [TokenLogprob], generated: [TokenLogprob],
                           tokenizer: Tokenizer, startOffset: Int = 0) -> CompletionLogprobs {
        var shape = CompletionLogprobs()
        let count = (prompt?.count ?? 0) + generated.count
        shape.tokens.reserveCapacity(count)
        shape.tokenLogprobs.reserveCapacity(count)
        shape.topLogprobs.reserveCapacity(count)
        shape.textOffset.reserveCapacity(count)
        var offset = startOffset
        func add(_ token: TokenID, _ entry: TokenLogprob?) {
            shape.tokens.append(tokenizer.legacyTokenString(token))
            shape.tokenLogprobs.append(entry?.logprob)
            shape.topLogprobs.append(entry.map { top($0, tokenizer: tokenizer) })
            shape.textOffset.append(offset)
            offset += characters(of: token, tokenizer: tokenizer)
        }
        if let prompt, let first = prompt.first {
            add(first, nil)
            for (token, entry) in zip(prompt.dropFirst(), promptLogprobs) { add(token, entry) }
        }
        for entry in generated { add(entry.token, entry) }
        return shape
    }

    /// Characters of the choice's text that `entries`' tokens make, as `text_offset` counts them:
    /// every byte that starts one.
    static func characters(_ entries: [TokenLogprob], tokenizer: Tokenizer) -> Int {
        entries.reduce(0) { $0 + characters(of: $1.token, tokenizer: tokenizer) }
    }

    private static func characters(of token: TokenID, tokenizer: Tokenizer) -> Int {
        tokenizer.tokenBytes(token).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    /// `{token text: logprob}` of a position's alternatives; tokens whose texts
    /// coincide keep the likelier value.
    private static func top(_ entry: TokenLogprob, tokenizer: Tokenizer) -> [String: Double] {
        var result: [String: Double] = [:]
        result.reserveCapacity(entry.top.count)
        for alternative in entry.top {
            let key = tokenizer.legacyTokenString(alternative.token)
            if result[key] == nil { result[key] = alternative.logprob }
        }
        return result
    }

    /// The chat shape: one entry per generated token with its bytes and alternatives.
    static func chat(_ generated: [TokenLogprob], tokenizer: Tokenizer) -> ChatLogprobs {
        ChatLogprobs(content: generated.map { entry in
            ChatLogprobs.Entry(
                token: tokenizer.tokenString(entry.token), logprob: entry.logprob,
                bytes: tokenizer.tokenBytes(entry.token).map(Int.init),
                topLogprobs: entry.top.map {
                    .init(token: tokenizer.tokenString($0.token), logprob: $0.logprob,
                          bytes: tokenizer.tokenBytes($0.token).map(Int.init))
                })
        })
    }
}
