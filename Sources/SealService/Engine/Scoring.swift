import SealAPI
import SealGeneration
import SealTokenizer

extension GenerationService {
    /// The log-likelihood of a continuation given a context: one prefill of both,
    /// no sampling. Shared by `POST /api/score` and evaluation tools.
    package func score(_ request: ScoreRequest, isCancelled: @escaping @Sendable () -> Bool) async throws -> ScoreResponse {
        let top = request.top ?? 0
        guard top >= 0, top <= LogprobReader.maximumTop else {
            throw ServiceError.badRequest("'top' must be in 0...\(LogprobReader.maximumTop), got \(top)")
        }
        let tokenizer = try await host.currentOrLoading().model.tokenizer
        let context = try Self.part("context", text: request.context, tokens: request.contextTokens) {
            tokenizer.encode($0, addSpecialTokens: true, parseSpecialTokens: false)
        }
        let continuation = try Self.part("continuation", text: request.continuation, tokens: request.continuationTokens) {
            tokenizer.encode($0, addSpecialTokens: false, parseSpecialTokens: false)
        }
        guard !context.isEmpty else { throw ServiceError.badRequest("the context is empty; it needs at least one token") }
        guard !continuation.isEmpty else { throw ServiceError.badRequest("the continuation is empty; it needs at least one token") }
        // At least one alternative, to tell whether each token is the most likely one.
        var native = GenerateRequest(maxTokens: 0, temperature: 0, contextExtension: request.contextExtension, scaleSet: request.scaleSet)
        native.promptTokens = (context + continuation).map(Int.init)
        native.logprobs = max(1, top)
        // Only the continuation is scored: the context is prefilled without its logits.
        let prepared = try await prepare(native, promptLogprobs: true, promptLogprobsStart: context.count)
        let admission = try await admit(prepared)
        let outcome = try await generate(prepared, admission: admission, onText: { _ in !isCancelled() })
        let scored = outcome.result.promptLogprobs
        guard scored.count == continuation.count else {
            throw ServiceError.internal("scoring produced \(scored.count) log-probabilities for \(continuation.count) tokens")
        }
        let greedy = scored.allSatisfy { $0.top.first?.token == $0.token }
        var bodies = Self.logprobBodies(scored, tokenizer: prepared.loaded.model.tokenizer)
        for index in bodies.indices { bodies[index].top = Array(bodies[index].top.prefix(top)) }
        return ScoreResponse(logprob: scored.reduce(0) { $0 + $1.logprob }, greedy: greedy, tokens: bodies,
                             contextTokenCount: context.count, model: outcome.response.model)
    }

    /// One part of a score request, given as text or as token ids (not both).
    private static func part(_ name: String, text: String?, tokens: [Int]?,
                             encode: (String) -> [TokenID]) throws -> [TokenID] {
        switch (text, tokens) {
        case (let text?, nil): return encode(text)
        case (nil, let ids?):
            // Checked against the vocabulary when the whole prompt is prepared.
            guard let bad = ids.first(where: { $0 < 0 || $0 > Int(Int32.max) }) else { return ids.map { TokenID($0) } }
            throw ServiceError.unprocessable("'\(name)_tokens' holds \(bad), which is no token id", code: "invalid_token")
        default: throw ServiceError.badRequest("give exactly one of '\(name)' or '\(name)_tokens'")
        }
    }
}
