import Foundation
import SealAPI
import SealModel
import SealServer
import SealService

extension SealService {
    /// Every route of the API. The OpenAPI document (docs/openapi.yaml) is
    /// checked against `routeTable` by the test suite so the two cannot drift.
    public func makeRouter(requestMetrics: @escaping @Sendable () -> String,
                           reloadConfiguration: @escaping @Sendable () async throws -> PluginListResponse) -> Router {
        var router = Router()
        router.get("/api/health") { _, _ in try Reply.json(HealthResponse()) }
        router.get("/api/status") { _, _ in try Reply.json(await self.status()) }
        router.get("/api/config") { _, _ in
            try Reply.json(self.currentConfiguration)
        }
        router.post("/api/reload") { _, _ in
            try await Reply.guarded { try Reply.json(try await reloadConfiguration()) }
        }
        addModelRoutes(&router)
        addGenerationRoutes(&router)
        addPluginRoutes(&router)
        addExtensionRoutes(&router)
        addJobRoutes(&router)
        addArtifactRoutes(&router)
        addExportRoutes(&router)
        addOpenAIRoutes(&router)
        addScoreRoutes(&router)
        router.get("/metrics") { _, _ in
            Response.text(requestMetrics() + (await self.renderMetrics()), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ in
            Response.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
        return router
    }

    private func addModelRoutes(_ router: inout Router) {
        router.get("/api/models") { _, _ in
            try await Reply.guarded { try Reply.json(self.availableModels()) }
        }
        router.post("/api/models/load") { request, _ in
            try await Reply.guarded {
                let body = request.body.readableBytes > 0 ? try request.apiBody(LoadModelRequest.self) : LoadModelRequest()
                let url = try body.path.map { URL(fileURLWithPath: $0) } ?? self.configuredModelURL()
                return try Reply.json(try await self.host.load(path: url, contextLength: body.contextLength))
            }
        }
        router.post("/api/models/unload") { _, _ in
            try await Reply.guarded { try Reply.json(try self.host.unload()) }
        }
    }

    private func addGenerationRoutes(_ router: inout Router) {
        router.post("/api/tokenize", access: .read) { request, _ in
            try await Reply.guarded {
                let body = try request.apiBody(TokenizeRequest.self)
                let tokenizer = try await self.host.currentOrLoading().model.tokenizer
                let ids = tokenizer.encode(body.text, addSpecialTokens: body.addSpecialTokens ?? true,
                                          parseSpecialTokens: body.parseSpecialTokens ?? true)
                return try Reply.json(TokenizeResponse(tokens: ids.map(Int.init), pieces: ids.map { tokenizer.decode([$0]) }))
            }
        }
        router.post("/api/generate", access: .read) { request, context in
            try await Reply.guarded {
                let body = try request.apiBody(GenerateRequest.self)
                let prepared = try await self.generation.prepare(body)
                let admission = try await self.generation.admit(prepared)
                if body.stream == true {
                    return self.streamGeneration(prepared, admission: admission, context: context)
                }
                return try Reply.json(try await self.runAttached(prepared, admission: admission, context: context))
            }
        }
    }

    /// SSE: `token` events as text is decided (with their tokens' log-probabilities when
    /// asked for), then `done` (or `error`). A client that goes away stops the generation at
    /// the next token.
    func streamGeneration(_ prepared: GenerationService.Prepared, admission: GenerationService.Admission,
                          context: Context) -> Response {
        Response.serverSentEvents { events in
            var logprobs = prepared.options.logprobs.map { _ in StreamedLogprobs(tokenizer: prepared.loaded.model.tokenizer) }
            let outcome = await self.runStreaming(prepared, admission: admission, context: context) { piece in
                let event = TokenEvent(text: piece.text, logprobs: logprobs?.native(piece.logprobs))
                try await events.send(event: "token", json: event, encoder: APIJSON.encoder())
            }
            switch outcome {
            case .success(let result):
                // `done` holds the whole response, every token's log-probability included.
                try? await events.send(event: "done", json: result.response, encoder: APIJSON.encoder())
            case .failure(let error):
                try? await events.send(event: "error", json: Reply.errorBody(error), encoder: APIJSON.encoder())
            }
        }
    }

    private func addPluginRoutes(_ router: inout Router) {
        router.get("/api/plugins") { _, _ in try Reply.json(self.plugins.list()) }
        router.post("/api/plugins/reload") { _, _ in
            let report = self.plugins.rescan()
            self.logger.notice("plugins rescanned", metadata: ["plugins": "\(report.plugins.count)", "refused": "\(report.errors.count)"])
            return try Reply.json(report)
        }
    }
}
