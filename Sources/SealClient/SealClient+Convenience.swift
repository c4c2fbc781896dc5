import Foundation
import SealAPI

/// Typed shorthands for the common calls, for code that has no use for the raw JSON.
extension SealClient {
    public func health() async throws -> HealthResponse { try await call(Endpoints.health) }
    public func status() async throws -> StatusResponse { try await call(Endpoints.status) }
    public func models() async throws -> [ModelInfo] { try await call(Endpoints.models) }
    public func loadModel(_ request: LoadModelRequest) async throws -> ModelInfo { try await call(Endpoints.loadModel(request)) }
    public func tokenize(_ request: TokenizeRequest) async throws -> TokenizeResponse { try await call(Endpoints.tokenize(request)) }
    /// `POST /api/generate` without streaming: the whole answer at once.
    public func generate(_ request: GenerateRequest) async throws -> GenerateResponse { try await call(Endpoints.generate(request)) }
    public func plugins() async throws -> PluginListResponse { try await call(Endpoints.plugins) }
    public func createJob(_ request: CreateJobRequest) async throws -> Job { try await call(Endpoints.createJob(request)) }
    public func job(_ id: String) async throws -> Job { try await call(Endpoints.job(id)) }
    public func artifacts(kind: ArtifactKind? = nil) async throws -> [Artifact] { try await call(Endpoints.artifacts(kind: kind)) }

    /// Prometheus text exposition (`GET /metrics`).
    public func metrics() async throws -> String { String(decoding: try await data(.get, "/metrics"), as: UTF8.self) }

    /// The OpenAPI description (`GET /openapi.yaml`).
    public func openAPIDocument() async throws -> String { String(decoding: try await data(.get, "/openapi.yaml"), as: UTF8.self) }

    /// The job's state on every `progress` event, ending with the `done` one (a finished job).
    public func jobEvents(_ id: String) -> AsyncThrowingStream<Job, any Error> {
        let request = HTTPRequest(method: .get, path: "/api/jobs/\(Self.pathSegment(id))/events", headers: Self.eventStreamHeaders)
        return stream(request, requiresFinalEvent: true) { event in
            switch event.event {
            case "progress": .yield(try event.decode(Job.self))
            case "done": .finish(try event.decode(Job.self))
            case "error": throw Self.streamError(event)
            default: .skip
            }
        }
    }
}
