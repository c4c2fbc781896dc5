import Foundation
import Logging
import SealAPI
import SealGeneration
import SealModel
import SealTokenizer

/// Turns API requests into generations: validation, prompt building, context
/// extension, scale sets, admission control, and the compute thread.
public final class GenerationService: Sendable {
    let host: ModelHost
    let plugins: PluginBridge
    let store: StateStore
    let gate: ConcurrencyGate
    let metrics: ServiceMetrics
    let logger: Logger
    /// The configured default scale set (`model.scale_set`), read per request so a reload applies.
    let defaultScaleSet: @Sendable () -> String?

    init(host: ModelHost, plugins: PluginBridge, store: StateStore, limits: ServiceLimits, metrics: ServiceMetrics, logger: Logger,
         defaultScaleSet: @escaping @Sendable () -> String? = { nil }) {
        self.defaultScaleSet = defaultScaleSet
        self.host = host
        self.plugins = plugins
        self.store = store
        gate = ConcurrencyGate(limit: limits.maxConcurrentGenerations, queueLimit: limits.maxQueuedGenerations)
        self.metrics = metrics
        self.logger = logger
    }

    /// A validated request, ready to run.
    struct Prepared: Sendable {
        let loaded: ModelHost.Loaded
        let transformer: TransformerModel
        let prompt: [TokenID]
        let options: GenerationOptions
        let encoding: any PositionEncoding
        let capacity: Int
        let extensionName: String?
        let scaleSet: String?
    }

    func prepare(_ request: GenerateRequest) async throws -> Prepared {
        let loaded = try await host.currentOrLoading()
        let model = loaded.model
        let prompt: [TokenID]
        switch (request.prompt, request.messages) {
        case (let text?, nil):
            guard !text.isEmpty else { throw ServiceError.badRequest("'prompt' is empty") }
            prompt = model.completionPrompt(text)
        case (nil, let messages?):
            guard !messages.isEmpty else { throw ServiceError.badRequest("'messages' is empty") }
            for (index, message) in messages.enumerated() where !["system", "user", "assistant"].contains(message.role) {
                throw ServiceError.badRequest("messages[\(index)].role must be system, user or assistant, got '\(message.role)'")
            }
            do {
                prompt = try model.chatPrompt(messages.map { ChatMessage(role: $0.role, content: $0.content) })
            } catch {
                throw ServiceError.unprocessable(error.description)
            }
        default:
            throw ServiceError.badRequest("give exactly one of 'prompt' (completion) or 'messages' (chat)")
        }
        let defaults = SamplingParameters()
        let sampling = SamplingParameters(
            temperature: Float(request.temperature ?? Double(defaults.temperature)),
            topK: request.topK ?? defaults.topK,
            topP: Float(request.topP ?? Double(defaults.topP)),
            repetitionPenalty: Float(request.repetitionPenalty ?? 1),
            seed: request.seed)
        let maxTokens = request.maxTokens ?? 256
        let options = GenerationOptions(maxTokens: maxTokens, sampling: sampling, stop: request.stop ?? [])
        do { try options.validate() } catch { throw ServiceError.badRequest(error.description) }
        guard maxTokens >= 1 else { throw ServiceError.badRequest("'max_tokens' must be at least 1") }

        let rope = loaded.model.transformer.ropeParameters
        // Planned for the length the request will reach (fixed for the request).
        let reach = request.contextLength ?? (prompt.count + min(maxTokens, PluginBridge.maximumExtendedContext))
        let resolved = try plugins.resolve(request.contextExtension, loaded: loaded,
                                           rope: rope, targetLength: reach)
        let encoding = resolved.encoding
        let window = resolved.window
        if let asked = request.contextLength, asked < 1 || asked > window {
            throw ServiceError.unprocessable("context_length \(asked) is outside 1...\(window) for \(encoding.name)")
        }
        let limit = request.contextLength ?? window
        guard prompt.count < limit else {
            throw plugins.overflow(promptTokens: prompt.count, needed: prompt.count + maxTokens, window: limit,
                                   encodingName: encoding.name, rope: rope)
        }
        // "none" opts out of the configured default scale set.
        let scaleSet = request.scaleSet == "none" ? nil : request.scaleSet ?? defaultScaleSet()
        let transformer = try await transformer(for: scaleSet, loaded: loaded)
        return Prepared(loaded: loaded, transformer: transformer, prompt: prompt, options: options, encoding: encoding,
                        capacity: min(limit, prompt.count + maxTokens), extensionName: resolved.choice?.plugin,
                        scaleSet: scaleSet)
    }

    /// The model with a stored scale set folded in (checked against the model's shape).
    func transformer(for scaleSet: String?, loaded: ModelHost.Loaded) async throws -> TransformerModel {
        guard let scaleSet else { return loaded.model.transformer }
        let content = try await scaleSetContent(scaleSet, for: loaded.model.configuration)
        do {
            return try loaded.transformer(scaleSet: scaleSet) {
                HeadScales(layers: content.scales.map { $0.map(Float.init) })
            }
        } catch let error as SealModelError {
            throw ServiceError.unprocessable("scale set '\(scaleSet)': \(error.description)")
        }
    }

    /// A stored scale set, refused (422) when unknown or made for a model of another shape.
    func scaleSetContent(_ scaleSet: String, for c: ModelConfiguration) async throws -> ScaleSetContent {
        let content: ScaleSetContent
        do {
            content = try await store.decodeArtifact(scaleSet, as: ScaleSetContent.self, expecting: .scaleSet)
        } catch let error as ServiceError where error.status == 404 {
            throw ServiceError.unprocessable("unknown scale set '\(scaleSet)'; list them with `sealctl scales list`")
        }
        guard content.layers == c.layerCount, content.heads == c.headCount, content.headDimension == c.headDimension else {
            throw ServiceError.unprocessable(
                "scale set '\(scaleSet)' was made for \(content.model) (\(content.layers) layers x \(content.heads) heads x \(content.headDimension)); the loaded model has \(c.layerCount) x \(c.headCount) x \(c.headDimension)")
        }
        return content
    }

    /// A slot in the generation queue, held from admission until the run ends.
    struct Admission: Sendable {
        let queueSeconds: Double
    }

    /// Waits for a generation slot (429 when the queue is full), so a refusal
    /// is a plain HTTP error before any streaming starts.
    func admit() async throws -> Admission {
        let queued = Date()
        try await gate.acquire(what: "generations")
        return Admission(queueSeconds: Date().timeIntervalSince(queued))
    }

    /// Runs an admitted generation and frees its slot. `onText` returns false to
    /// stop (client gone); the compute thread checks it between tokens.
    func run(_ prepared: Prepared, admission: Admission, onText: @escaping @Sendable (String) -> Bool) async throws -> GenerateResponse {
        let queueSeconds = admission.queueSeconds
        metrics.generationStarted()
        defer {
            metrics.generationFinished()
            Task { await gate.release() }
        }
        let result = try await Compute.run(name: "seal-generate") { () throws -> GenerationResult in
            let session = try InferenceSession(model: prepared.transformer, capacity: prepared.capacity,
                                               positionEncoding: prepared.encoding)
            return try Generator(model: prepared.loaded.model).generate(
                prompt: prepared.prompt, in: session, options: prepared.options, onText: onText)
        }
        metrics.recordTokens(prompt: result.promptTokenCount, completion: result.tokens.count,
                             prefillSeconds: result.prefillSeconds, decodeSeconds: result.decodeSeconds)
        let info = ModelHost.info(prepared.loaded)
        return GenerateResponse(
            text: result.text, finishReason: result.finishReason.rawValue,
            usage: Usage(promptTokens: result.promptTokenCount, completionTokens: result.tokens.count),
            timings: Timings(queueSeconds: queueSeconds, prefillSeconds: result.prefillSeconds,
                             decodeSeconds: result.decodeSeconds,
                             prefillTokensPerSecond: Double(result.promptTokenCount) / max(result.prefillSeconds, 1e-9),
                             decodeTokensPerSecond: result.decodeTokensPerSecond),
            model: info.name, contextExtension: prepared.extensionName, scaleSet: prepared.scaleSet)
    }

    var activeAndQueued: (Int, Int) {
        get async { (await gate.active, await gate.queued) }
    }
}

/// The limits the service enforces, from the configuration.
struct ServiceLimits: Sendable {
    var maxConcurrentGenerations = 2
    var maxQueuedGenerations = 16
    var maxConcurrentJobs = 1
}
