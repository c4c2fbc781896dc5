import SealAPI
import SealGeneration
import SealTokenizer

/// Request fields that reach the sampler or the prompt as token ids, checked
/// against the loaded model, and log-probabilities in the native API's shape.
extension GenerationService {
    /// Token ids of a request's prompt, each checked against the vocabulary.
    static func promptTokens(_ ids: [Int], vocabularySize: Int) throws -> [TokenID] {
        guard !ids.isEmpty else { throw ServiceError.badRequest("'prompt_tokens' is empty") }
        var tokens: [TokenID] = []
        tokens.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() {
            guard id >= 0, id < vocabularySize else {
                throw ServiceError.unprocessable("prompt token \(index) is \(id), outside the vocabulary 0..<\(vocabularySize)",
                                                 code: "invalid_token")
            }
            tokens.append(TokenID(id))
        }
        return tokens
    }

    /// `logit_bias` (token id as a string -> bias) as the sampler takes it.
    static func logitBias(_ bias: [String: Double]?, vocabularySize: Int) throws -> [TokenID: Float] {
        guard let bias, !bias.isEmpty else { return [:] }
        guard bias.count <= SamplingParameters.maximumBiasedTokens else {
            throw ServiceError.badRequest("'logit_bias' may bias at most \(SamplingParameters.maximumBiasedTokens) tokens, got \(bias.count)")
        }
        var result: [TokenID: Float] = [:]
        for (key, value) in bias {
            guard let id = Int(key), id >= 0, id < vocabularySize else {
                throw ServiceError.unprocessable("'logit_bias' key '\(key)' is not a token id in 0..<\(vocabularySize)",
                                                 code: "invalid_token")
            }
            guard value.isFinite, abs(value) <= 100 else {
                throw ServiceError.badRequest("'logit_bias' for token \(id) must be in -100...100, got \(value)")
            }
            result[TokenID(id)] = Float(value)
        }
        return result
    }

    /// The native API's form of the generator's log-probabilities.
    static func logprobBodies(_ entries: [TokenLogprob], tokenizer: Tokenizer) -> [TokenLogprobBody] {
        entries.map { entry in
            TokenLogprobBody(
                token: Int(entry.token), text: tokenizer.tokenString(entry.token), logprob: entry.logprob,
                top: entry.top.map { .init(token: Int($0.token), text: tokenizer.tokenString($0.token), logprob: $0.logprob) })
        }
    }
}

extension Tokenizer {
    /// A token's text for people and JSON: its bytes as UTF-8, with a replacement
    /// character where a token holds only part of a character.
    func tokenString(_ id: TokenID) -> String {
        String(decoding: tokenBytes(id), as: UTF8.self)
    }

    /// A token's text in OpenAI's legacy `logprobs` lists: its bytes when they are
    /// valid UTF-8, otherwise `bytes:` and each byte as `\xNN`.
    func legacyTokenString(_ id: TokenID) -> String {
        let bytes = tokenBytes(id)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return "bytes:" + bytes.map { byte in
            let hex = String(byte, radix: 16)
            return "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }.joined()
    }
}
