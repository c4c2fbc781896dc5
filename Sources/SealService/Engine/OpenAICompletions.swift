import Foundation
import SealAPI
import SealGeneration
import SealTokenizer

/// OpenAI's completions and chat completions over the generator: which request
/// fields seal honours (the rest are refused with 422 naming them), one choice per
/// prompt, and log-probabilities in OpenAI's two shapes.
extension GenerationService {
    /// The most prompts one `/v1/completions` request may carry (each is a generation).
    static let maximumPrompts = 256
    /// OpenAI's limits on alternatives per token.
    static let maximumCompletionLogprobs = 5
    static let maximumChatLogprobs = 20

    /// One generation an OpenAI request asks for.
    package struct OpenAIPlan: Sendable {
        package var native: GenerateRequest
        /// Completions `echo`: the prompt comes back before the completion.
        package var echo: Bool
        /// Alternatives per token when logprobs were asked for.
        package var logprobs: Int?
    }

    /// Checks `body` and splits it into one native request per prompt (one for chat).
    /// - Throws: 400 for missing parts, 422 naming a field seal cannot honour.
    package static func openAIPlans(_ body: OpenAIRequest, chat: Bool) throws -> [OpenAIPlan] {
        func refuse(_ field: String, _ reason: String) -> ServiceError {
            .unprocessable("'\(field)' \(reason)", code: "unsupported_field")
        }
        if let n = body.n, n != 1 { throw refuse("n", "must be 1: seal returns one choice per prompt (send the request again, with another seed, for more)") }
        if let best = body.bestOf, best != 1 { throw refuse("best_of", "must be 1: seal does not rank several completions") }
        if let suffix = body.suffix, !suffix.isEmpty { throw refuse("suffix", "is not supported: seal does not fill in the middle") }
        for (field, value) in [("presence_penalty", body.presencePenalty), ("frequency_penalty", body.frequencyPenalty)] {
            if let value, value != 0 { throw refuse(field, "is not supported (only 0); use seal's repetition_penalty") }
        }
        if let format = body.responseFormat, format != .object(["type": .string("text")]) {
            throw refuse("response_format", "must be {\"type\": \"text\"}: seal does not constrain output to JSON")
        }
        if let options = body.streamOptions {
            guard case .object(let fields) = options, fields.keys.allSatisfy({ $0 == "include_usage" }),
                  fields["include_usage"].map({ $0.boolValue != nil }) ?? true else {
                throw refuse("stream_options", "may only hold include_usage (a boolean)")
            }
        }
        let logprobs = try logprobCount(body, chat: chat)
        let echo = body.echo ?? false
        if chat && body.echo != nil { throw refuse("echo", "is for completions; chat completions have no prompt text to echo") }
        if body.stream == true && echo {
            throw refuse("echo", "is not supported with stream: true; ask without streaming")
        }
        var native = GenerateRequest(
            maxTokens: body.maxTokens ?? 16, temperature: body.temperature ?? 1, topK: body.topK ?? 0,
            topP: body.topP ?? 1, repetitionPenalty: body.repetitionPenalty, seed: body.seed, stop: body.stop?.values,
            stream: body.stream, contextExtension: body.contextExtension, scaleSet: body.scaleSet)
        native.logprobs = logprobs
        native.logitBias = body.logitBias
        if chat {
            guard let messages = body.messages else { throw ServiceError.badRequest("'messages' is required for chat completions") }
            if body.prompt != nil { throw ServiceError.badRequest("'prompt' is for completions; chat completions take 'messages'") }
            native.messages = messages
            return [OpenAIPlan(native: native, echo: false, logprobs: logprobs)]
        }
        guard let prompt = body.prompt else { throw ServiceError.badRequest("'prompt' is required for completions") }
        if body.messages != nil { throw ServiceError.badRequest("'messages' is for chat completions; completions take 'prompt'") }
        let items = prompt.items
        guard !items.isEmpty else { throw ServiceError.badRequest("'prompt' is an empty list") }
        guard items.count <= maximumPrompts else {
            throw ServiceError.badRequest("'prompt' holds \(items.count) prompts; at most \(maximumPrompts) per request")
        }
        if items.count > 1, body.stream == true { throw refuse("stream", "needs a single prompt; send one request per prompt") }
        return items.map { item in
            var one = native
            switch item {
            case .text(let text): one.prompt = text
            case .tokens(let ids): one.promptTokens = ids
            }
            return OpenAIPlan(native: one, echo: echo, logprobs: logprobs)
        }
    }

    /// Alternatives per token asked for: completions give a count (0...5), chat a
    /// switch and `top_logprobs` (0...20).
    private static func logprobCount(_ body: OpenAIRequest, chat: Bool) throws -> Int? {
        let limit = chat ? maximumChatLogprobs : maximumCompletionLogprobs
        let count: Int?
        switch (body.logprobs, chat) {
        case (nil, _): count = nil
        case (.enabled(let on), true): count = on ? (body.topLogprobs ?? 0) : nil
        case (.count(let n), false): count = n
        case (.enabled, false): throw ServiceError.badRequest("'logprobs' of a completion is a count of alternatives (0...\(limit)), not a boolean")
        case (.count, true): throw ServiceError.badRequest("'logprobs' of a chat completion is a boolean; the count goes in 'top_logprobs'")
        }
        if !chat, body.topLogprobs != nil {
            throw ServiceError.unprocessable("'top_logprobs' is for chat completions; completions give the count in 'logprobs'", code: "unsupported_field")
        }
        if chat, body.topLogprobs != nil, count == nil {
            throw ServiceError.badRequest("'top_logprobs' needs 'logprobs': true")
        }
        if let count, count < 0 || count > limit {
            throw ServiceError.badRequest("'\(chat ? "top_logprobs" : "logprobs")' must be in 0...\(limit), got \(count)")
        }
        return count
    }

    /// Runs every plan in turn (each admitted on its own) and answers the OpenAI
    /// response, one choice per plan with `index` in order.
    package func complete(_ plans: [OpenAIPlan], chat: Bool, id: String, created: Int,
                  isCancelled: @escaping @Sendable () -> Bool) async throws -> OpenAIResponse {
        var choices: [OpenAIResponse.Choice] = []
        var promptTokens = 0, completionTokens = 0
        var model = ""
        for (index, plan) in plans.enumerated() {
            let prepared = try await prepare(plan.native, promptLogprobs: plan.echo)
            let admission = try await admit(prepared)
            let outcome = try await generate(prepared, admission: admission, onText: { _ in !isCancelled() })
            let tokenizer = prepared.loaded.model.tokenizer
            model = outcome.response.model
            promptTokens += outcome.response.usage.promptTokens
            completionTokens += outcome.response.usage.completionTokens
            let finish = Self.openAIFinishReason(outcome.response.finishReason)
            if chat {
                let logprobs = plan.logprobs.map { _ in ChoiceLogprobs.chat(OpenAILogprobShapes.chat(outcome.result.logprobs, tokenizer: tokenizer)) }
                choices.append(.init(index: index, message: ChatMessageBody(role: "assistant", content: outcome.response.text),
                                     finishReason: finish, logprobs: logprobs))
            } else {
                let echoed = plan.echo ? tokenizer.decode(prepared.prompt) : ""
                let logprobs = plan.logprobs.map { _ in
                    ChoiceLogprobs.completion(OpenAILogprobShapes.completion(
                        prompt: plan.echo ? prepared.prompt : nil, promptLogprobs: outcome.result.promptLogprobs,
                        generated: outcome.result.logprobs, tokenizer: tokenizer))
                }
                choices.append(.init(index: index, text: echoed + outcome.response.text, finishReason: finish, logprobs: logprobs))
            }
        }
        return OpenAIResponse(id: id, object: chat ? "chat.completion" : "text_completion", created: created, model: model,
                              choices: choices, usage: Usage(promptTokens: promptTokens, completionTokens: completionTokens))
    }

    /// seal's finish reasons in OpenAI's two words.
    package static func openAIFinishReason(_ reason: String) -> String {
        reason == "length" || reason == "context_full" ? "length" : "stop"
    }
}
