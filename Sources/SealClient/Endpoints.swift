import SealAPI

/// Every route of the seal API, named, so callers (sealctl, end-to-end tests) never spell one.
public enum Endpoints {
    // MARK: Daemon
    public static let health = Endpoint<HealthResponse>(.get, "/api/health")
    public static let status = Endpoint<StatusResponse>(.get, "/api/status")
    /// Re-reads the configuration and rescans plugins, like `SIGHUP`.
    public static let reload = Endpoint<PluginListResponse>(.post, "/api/reload")
    /// The effective configuration, a free-form object.
    public static let config = Endpoint<JSONValue>(.get, "/api/config")

    // MARK: Models
    public static let models = Endpoint<[ModelInfo]>(.get, "/api/models")
    public static func loadModel(_ request: LoadModelRequest) -> Endpoint<ModelInfo> {
        Endpoint(.post, "/api/models/load", body: request)
    }
    public static let unloadModel = Endpoint<ModelInfo>(.post, "/api/models/unload")
    public static func tokenize(_ request: TokenizeRequest) -> Endpoint<TokenizeResponse> {
        Endpoint(.post, "/api/tokenize", body: request)
    }
    /// Non-streaming generation; for streaming see ``SealClient/generateStream(_:)``.
    public static func generate(_ request: GenerateRequest) -> Endpoint<GenerateResponse> {
        var request = request
        request.stream = false
        return Endpoint(.post, "/api/generate", body: request)
    }

    // MARK: Plugins
    public static let plugins = Endpoint<PluginListResponse>(.get, "/api/plugins")
    public static func extensionPlan(target: Int) -> Endpoint<ExtensionPlanResponse> {
        Endpoint(.get, "/api/extensions/plan?target=\(target)")
    }
    public static let reloadPlugins = Endpoint<PluginListResponse>(.post, "/api/plugins/reload")

    // MARK: Jobs
    public static func createJob(_ request: CreateJobRequest) -> Endpoint<Job> { Endpoint(.post, "/api/jobs", body: request) }
    public static let jobs = Endpoint<[Job]>(.get, "/api/jobs")
    public static func job(_ id: String) -> Endpoint<Job> { Endpoint(.get, "/api/jobs/\(segment(id))") }
    public static func cancelJob(_ id: String) -> Endpoint<Job> { Endpoint(.post, "/api/jobs/\(segment(id))/cancel") }

    // MARK: Artifacts
    public static func artifacts(kind: ArtifactKind? = nil) -> Endpoint<[Artifact]> {
        Endpoint(.get, kind.map { "/api/artifacts?kind=\($0.rawValue)" } ?? "/api/artifacts")
    }
    public static func artifact(_ id: String) -> Endpoint<Artifact> { Endpoint(.get, "/api/artifacts/\(segment(id))") }
    /// The stored document: decode as `DatasetContent`, `ScaleSetContent` or `EvalReportContent`.
    public static func artifactContent<Content: Decodable>(_ id: String, as type: Content.Type) -> Endpoint<Content> {
        Endpoint(.get, "/api/artifacts/\(segment(id))/content")
    }
    public static func deleteArtifact(_ id: String) -> Endpoint<NoContent> { Endpoint(.delete, "/api/artifacts/\(segment(id))") }
    public static func createScaleSet(_ request: CreateScaleSetRequest) -> Endpoint<Artifact> {
        Endpoint(.post, "/api/scale-sets", body: request)
    }
    /// What a merged export of scale set `id` (folded into the loaded model) consists of.
    public static func mergedExport(_ id: String, format: MergedExportFormat, type: String) -> Endpoint<MergedExportManifest> {
        Endpoint(.get, "/api/scale-sets/\(segment(id))/merged" + mergedQuery(format, type))
    }
    /// One file of a merged export: a raw body, streamed with ``SealClient/download(_:to:expectedSize:progress:)``
    /// of its `path`.
    public static func mergedExportFile(_ id: String, file: String, format: MergedExportFormat, type: String) -> Endpoint<NoContent> {
        Endpoint(.get, "/api/scale-sets/\(segment(id))/merged/\(segment(file))" + mergedQuery(format, type))
    }
    private static func mergedQuery(_ format: MergedExportFormat, _ type: String) -> String {
        "?format=\(format.rawValue)&type=\(segment(type))"
    }

    // MARK: OpenAI-compatible
    public static let openAIModels = Endpoint<OpenAIModelList>(.get, "/v1/models")

    private static func segment(_ id: String) -> String { SealClient.pathSegment(id) }
}
