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

    /// seal's finish reasons in OpenAI's two words.
    static func openAIFinishReason(_ reason: String) -> String {
        reason == "length" || reason == "context_full" ? "length" : "stop"
    }

    private func openAI(_ request: Request, context: Context, chat: Bool) async throws -> Response {
        let body = try request.apiBody(OpenAIRequest.self)
        if let n = body.n, n != 1 { throw ServiceError.badRequest("n must be 1 (seal returns one choice)") }
        if chat, body.messages == nil { throw ServiceError.badRequest("'messages' is required for chat completions") }
        if !chat, body.prompt == nil { throw ServiceError.badRequest("'prompt' is required for completions") }
        let native = GenerateRequest(
            prompt: chat ? nil : body.prompt, messages: chat ? body.messages : nil, maxTokens: body.maxTokens ?? 16,
            temperature: body.temperature ?? 1, topK: body.topK ?? 0, topP: body.topP ?? 1,
            repetitionPenalty: body.repetitionPenalty, seed: body.seed, stop: body.stop?.values, stream: body.stream,
            contextExtension: body.contextExtension, scaleSet: body.scaleSet)
        let prepared = try await generation.prepare(native)
        let admission = try await generation.admit(prepared)
        let id = (chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.prefix(12).lowercased()
        let created = Int(Date().timeIntervalSince1970)
        let model = ModelHost.info(prepared.loaded).name
        let object = chat ? "chat.completion" : "text_completion"

        guard body.stream == true else {
            let result = try await runAttached(prepared, admission: admission, context: context)
            let choice = chat
                ? OpenAIResponse.Choice(message: ChatMessageBody(role: "assistant", content: result.text), finishReason: Self.openAIFinishReason(result.finishReason))
                : OpenAIResponse.Choice(text: result.text, finishReason: Self.openAIFinishReason(result.finishReason))
            return try Reply.json(OpenAIResponse(
                id: id, object: object, created: created, model: model, choices: [choice],
                usage: result.usage))
        }
        let chunkObject = chat ? "chat.completion.chunk" : "text_completion"
        return Response.serverSentEvents { events in
            func chunk(_ text: String?, role: String? = nil, finish: String? = nil) -> OpenAIResponse {
                let choice = chat
                    ? OpenAIResponse.Choice(delta: .init(role: role, content: text), finishReason: finish)
                    : OpenAIResponse.Choice(text: text ?? "", finishReason: finish)
                return OpenAIResponse(id: id, object: chunkObject, created: created, model: model, choices: [choice], usage: nil)
            }
            if chat { try? await events.send(json: chunk(nil, role: "assistant"), encoder: APIJSON.encoder()) }
            let outcome = await self.runStreaming(prepared, admission: admission, context: context) { piece in
                try await events.send(json: chunk(piece), encoder: APIJSON.encoder())
            }
            switch outcome {
            case .success(let result):
                try? await events.send(json: chunk(nil, finish: Self.openAIFinishReason(result.finishReason)), encoder: APIJSON.encoder())
            case .failure(let error):
                try? await events.send(json: Reply.errorBody(error), encoder: APIJSON.encoder())
            }
            try? await events.send(data: "[DONE]")
        }
    }
}
