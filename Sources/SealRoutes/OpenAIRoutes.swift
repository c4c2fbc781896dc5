import Foundation
import SealAPI
import SealServer
import SealService

/// `/v1/completions`, `/v1/chat/completions` and `/v1/models`, so existing
/// OpenAI clients work against seald unchanged.
extension SealService {
    func addOpenAIRoutes(_ router: inout Router) {
        router.get("/v1/models") { _, _ in
            let created = Int(self.started.timeIntervalSince1970)
            return try Reply.json(OpenAIModelList(data: self.host.info.map { [.init(id: $0.name, created: created)] } ?? []))
        }
        router.post("/v1/completions", access: .read) { request, context in
            try await Reply.guarded { try await self.openAI(request, context: context, chat: false) }
        }
        router.post("/v1/chat/completions", access: .read) { request, context in
            try await Reply.guarded { try await self.openAI(request, context: context, chat: true) }
        }
    }

    private func openAI(_ request: Request, context: Context, chat: Bool) async throws -> Response {
        let body = try request.apiBody(OpenAIRequest.self)
        let plans = try GenerationService.openAIPlans(body, chat: chat)
        let id = (chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.prefix(12).lowercased()
        let created = Int(Date().timeIntervalSince1970)
        guard body.stream == true, let plan = plans.first else {
            let flag = CancellationFlag()
            context.onClientDisconnect { flag.cancel() }
            return try Reply.json(try await generation.complete(plans, chat: chat, id: id, created: created) { flag.isCancelled })
        }
        let prepared = try await generation.prepare(plan.native)
        let admission = try await generation.admit(prepared)
        let model = ModelHost.info(prepared.loaded).name
        let includeUsage = body.streamOptions.flatMap { if case .object(let o) = $0 { o["include_usage"]?.boolValue } else { nil } } ?? false
        let chunkObject = chat ? "chat.completion.chunk" : "text_completion"
        return Response.serverSentEvents { events in
            func chunk(_ text: String?, role: String? = nil, finish: String? = nil, logprobs: ChoiceLogprobs? = nil) -> OpenAIResponse {
                let choice = chat
                    ? OpenAIResponse.Choice(delta: .init(role: role, content: text), finishReason: finish, logprobs: logprobs)
                    : OpenAIResponse.Choice(text: text ?? "", finishReason: finish, logprobs: logprobs)
                return OpenAIResponse(id: id, object: chunkObject, created: created, model: model, choices: [choice], usage: nil)
            }
            // Each chunk carries its tokens' log-probabilities; the finishing chunk the rest.
            var logprobs = plan.logprobs.map { _ in StreamedLogprobs(tokenizer: prepared.loaded.model.tokenizer) }
            if chat { try? await events.send(json: chunk(nil, role: "assistant"), encoder: APIJSON.encoder()) }
            let outcome = await self.runStreaming(prepared, admission: admission, context: context) { piece in
                try await events.send(json: chunk(piece.text, logprobs: logprobs?.openAI(piece.logprobs, chat: chat)), encoder: APIJSON.encoder())
            }
            switch outcome {
            case .success(let outcome):
                let result = outcome.response
                var rest: ChoiceLogprobs?
                if let streamed = logprobs { rest = logprobs?.openAI(streamed.remaining(of: outcome.result.logprobs), chat: chat) }
                try? await events.send(json: chunk(nil, finish: GenerationService.openAIFinishReason(result.finishReason), logprobs: rest),
                                       encoder: APIJSON.encoder())
                if includeUsage {
                    let usage = OpenAIResponse(id: id, object: chunkObject, created: created, model: model, choices: [], usage: result.usage)
                    try? await events.send(json: usage, encoder: APIJSON.encoder())
                }
            case .failure(let error):
                try? await events.send(json: Reply.errorBody(error), encoder: APIJSON.encoder())
            }
            try? await events.send(data: "[DONE]")
        }
    }
}
