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
    let resources: ComputeResources
    let metrics: ServiceMetrics
    let logger: Logger
    /// The configured default scale set (`model.scale_set`), read per request so a reload applies.
    let defaultScaleSet: @Sendable () -> String?
    /// `model.special_tokens_in_messages`, read per request so a reload applies.
    let specialTokensInMessages: @Sendable () -> Bool

    init(host: ModelHost, plugins: PluginBridge, store: StateStore, resources: ComputeResources, metrics: ServiceMetrics,
         logger: Logger, defaultScaleSet: @escaping @Sendable () -> String? = { nil },
         specialTokensInMessages: @escaping @Sendable () -> Bool = { false }) {
        self.defaultScaleSet = defaultScaleSet
        self.specialTokensInMessages = specialTokensInMessages
        self.host = host
        self.plugins = plugins
        self.store = store
        self.resources = resources
        self.metrics = metrics
        self.logger = logger
    }

    /// A validated request, ready to run.
    package struct Prepared: Sendable {
        package let loaded: ModelHost.Loaded
        let transformer: TransformerModel
        let prompt: [TokenID]
        package let options: GenerationOptions
        let encoding: any PositionEncoding
        let capacity: Int
        /// Bytes the session may grow to (KV cache when full plus scratch).
        let memoryBytes: Int
        let extensionName: String?
        let scaleSet: String?
        /// Rows per prefill block and logits rows per pass: equal when every prompt position's logits are read.
        var blockSize = 512
        var outputRows = 8
    }

    /// - Parameter promptLogprobsStart: with `promptLogprobs`, the first prompt position scored
    ///   (see ``GenerationOptions/promptLogprobsStart``).
    package func prepare(_ request: GenerateRequest, promptLogprobs: Bool = false,
                         promptLogprobsStart: Int = 1) async throws -> Prepared {
        let loaded = try await host.currentOrLoading()
        let model = loaded.model
        let prompt: [TokenID]
        switch (request.prompt, request.messages) {
        case (nil, nil) where request.promptTokens != nil:
            prompt = try Self.promptTokens(request.promptTokens ?? [], vocabularySize: model.configuration.vocabularySize)
        case (_, _) where request.promptTokens != nil:
            throw ServiceError.badRequest("give exactly one of 'prompt', 'prompt_tokens' or 'messages'")
        case (let text?, nil):
            guard !text.isEmpty else { throw ServiceError.badRequest("'prompt' is empty") }
            prompt = model.completionPrompt(text)
        case (nil, let messages?):
            guard !messages.isEmpty else { throw ServiceError.badRequest("'messages' is empty") }
            for (index, message) in messages.enumerated() where !["system", "user", "assistant"].contains(message.role) {
                throw ServiceError.badRequest("messages[\(index)].role must be system, user or assistant, got '\(message.role)'")
            }
            do {
                prompt = try model.chatPrompt(messages.map { ChatMessage(role: $0.role, content: $0.content) },
                                              allowSpecialTokensInContent: specialTokensInMessages())
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
            seed: request.seed,
            logitBias: try Self.logitBias(request.logitBias, vocabularySize: model.configuration.vocabularySize))
        let maxTokens = request.maxTokens ?? 256
        var options = GenerationOptions(maxTokens: maxTokens, sampling: sampling, stop: request.stop ?? [],
                                        logprobs: request.logprobs, promptLogprobs: promptLogprobs && request.logprobs != nil,
                                        promptLogprobsStart: promptLogprobsStart)
        do { try options.validate() } catch { throw ServiceError.badRequest(error.description) }
        // Scoring a prompt (echo) may generate nothing; a plain generation must make at least one token.
        guard maxTokens >= (promptLogprobs ? 0 : 1) else { throw ServiceError.badRequest("'max_tokens' must be at least 1") }
        let limits = resources.limits
        if let most = limits.maxPromptTokens, prompt.count > most {
            throw ServiceError.unprocessable(
                "the prompt has \(prompt.count) tokens; this daemon accepts at most \(most) (limits.max_prompt_tokens) — prompts are never truncated",
                code: "prompt_too_long")
        }

        let rope = loaded.model.transformer.ropeParameters
        // Planned for the length the request will reach (fixed for the request); max_tokens
        // is bounded first so the sum cannot overflow.
        let wanted = prompt.count + min(maxTokens, PluginBridge.maximumExtendedContext)
        let reach = request.contextLength ?? wanted
        let resolved = try plugins.resolve(request.contextExtension, loaded: loaded,
                                           rope: rope, targetLength: reach)
        let encoding = resolved.encoding
        let window = resolved.window
        if let asked = request.contextLength, asked < 1 || asked > window {
            throw ServiceError.unprocessable("context_length \(asked) is outside 1...\(window) for \(encoding.name)")
        }
        let limit = request.contextLength ?? window
        guard prompt.count < limit else {
            throw plugins.overflow(promptTokens: prompt.count, needed: wanted, window: limit,
                                   encodingName: encoding.name, rope: rope)
        }
        // max_tokens is clamped to the room left in the window, so the sum below cannot overflow.
        options.maxTokens = min(maxTokens, limit - prompt.count)
        let capacity = prompt.count + options.maxTokens
        // "none" opts out of the configured default scale set.
        let scaleSet = request.scaleSet == "none" ? nil : request.scaleSet ?? defaultScaleSet()
        let transformer = try await transformer(for: scaleSet, loaded: loaded)
        let bands = (try? encoding.plan(for: rope, sequenceLength: capacity))?.bands.count ?? 2
        // Reading every prompt position's logits: blocks of 64 rows, each run once with all its rows out.
        let (blockSize, outputRows) = promptLogprobs && options.logprobs != nil ? (64, 64) : (512, 8)
        let memoryBytes = InferenceSession.memoryRequirement(model: transformer, capacity: capacity, bandCount: bands,
                                                             blockSize: blockSize, maximumOutputRows: outputRows,
                                                             attentionWorkers: resources.attentionWorkers,
                                                             keyValueCache: loaded.keyValueCache(capacity: capacity)) ?? .max
        if memoryBytes > resources.memory.totalBytes {
            // Refused before queueing: it could never run.
            try resources.memory.reserve(memoryBytes, what: "a window of \(capacity) positions (\(prompt.count) prompt + \(options.maxTokens) max_tokens)")
        }
        return Prepared(loaded: loaded, transformer: transformer, prompt: prompt, options: options, encoding: encoding,
                        capacity: capacity, memoryBytes: memoryBytes, extensionName: resolved.choice?.plugin,
                        scaleSet: scaleSet, blockSize: blockSize, outputRows: outputRows)
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
        } catch let error as ServiceError where error.kind == .notFound {
            throw ServiceError.unprocessable("unknown scale set '\(scaleSet)'; list them with `sealctl scales list`")
        }
        guard content.layers == c.layerCount, content.heads == c.headCount, content.headDimension == c.headDimension else {
            throw ServiceError.unprocessable(
                "scale set '\(scaleSet)' was made for \(content.model) (\(content.layers) layers x \(content.heads) heads x \(content.headDimension)); the loaded model has \(c.layerCount) x \(c.headCount) x \(c.headDimension)")
        }
        return content
    }

    package typealias Admission = AdmissionTicket

    /// Waits for a generation slot and reserves the request's memory (429 when the
    /// queue is full, 503 when memory is busy), so a refusal is a plain HTTP error
    /// before any streaming starts. Cancelling the waiting task (client gone,
    /// request timeout) leaves the queue at once.
    package func admit(_ prepared: Prepared) async throws -> Admission {
        try await resources.admit(bytes: prepared.memoryBytes,
                                  what: "a window of \(prepared.capacity) positions")
    }

    /// Runs an admitted generation and frees its slot. `onText` returns false to
    /// stop (client gone); the compute thread checks it between tokens.
    /// A request cancelled before its compute thread starts never runs its prefill.
    package func run(_ prepared: Prepared, admission: Admission, onText: @escaping @Sendable (String) -> Bool) async throws -> GenerateResponse {
        try await generate(prepared, admission: admission, onText: onText).response
    }

    /// What ``run(_:admission:onText:)`` answers, with the generator's own result
    /// (token ids, log-probabilities) for the OpenAI shapes.
    package struct Outcome: Sendable {
        package let response: GenerateResponse
        package let result: GenerationResult
    }

    /// Runs an admitted generation and frees its slot (see ``run(_:admission:onText:)``).
    package func generate(_ prepared: Prepared, admission: Admission, onText: @escaping @Sendable (String) -> Bool) async throws -> Outcome {
        try await generate(prepared, admission: admission, onPiece: { onText($0.text) })
    }

    /// Runs an admitted generation and frees its slot, handing each piece of text to `onPiece` with
    /// the log-probabilities of its tokens (a stream that carries them).
    package func generate(_ prepared: Prepared, admission: Admission,
                          onPiece: @escaping @Sendable (GeneratedPiece) -> Bool) async throws -> Outcome {
        defer { admission.release() }
        try Task.checkCancellation()
        let queueSeconds = admission.queueSeconds
        metrics.generationStarted()
        defer { metrics.generationFinished() }
        let workers = resources.attentionWorkers
        let result: GenerationResult
        do {
            result = try await Compute.run(name: "seal-generate") { () throws -> GenerationResult in
                let session = try InferenceSession(model: prepared.transformer, capacity: prepared.capacity,
                                                   positionEncoding: prepared.encoding, blockSize: prepared.blockSize,
                                                   maximumOutputRows: prepared.outputRows, attentionWorkers: workers,
                                                   keyValueCache: prepared.loaded.keyValueCache(capacity: prepared.capacity))
                return try Generator(model: prepared.loaded.model).generate(
                    prompt: prepared.prompt, in: session, options: prepared.options, onPiece: onPiece)
            }
        } catch let error as GenerationError {
            throw Self.serviceError(error)
        } catch let error as SealModelError {
            throw ServiceError.unprocessable(error.description)
        }
        metrics.recordTokens(prompt: result.promptTokenCount, completion: result.tokens.count,
                             prefillSeconds: result.prefillSeconds, decodeSeconds: result.decodeSeconds)
        let info = ModelHost.info(prepared.loaded)
        let response = GenerateResponse(
            text: result.text, finishReason: result.finishReason.rawValue,
            usage: Usage(promptTokens: result.promptTokenCount, completionTokens: result.tokens.count),
            timings: Timings(queueSeconds: queueSeconds, prefillSeconds: result.prefillSeconds,
                             decodeSeconds: result.decodeSeconds,
                             prefillTokensPerSecond: Double(result.promptTokenCount) / max(result.prefillSeconds, 1e-9),
                             decodeTokensPerSecond: result.decodeTokensPerSecond),
            model: info.name, contextExtension: prepared.extensionName, scaleSet: prepared.scaleSet,
            logprobs: prepared.options.logprobs == nil ? nil : Self.logprobBodies(result.logprobs, tokenizer: prepared.loaded.model.tokenizer))
        return Outcome(response: response, result: result)
    }

    /// A generation's failure as the API reports it: the client's mistakes are
    /// 4xx; a model that produces NaN or infinite logits makes the service unable
    /// to generate (503, naming the cause) rather than crashing it.
    static func serviceError(_ error: GenerationError) -> ServiceError {
        switch error.kind {
        case .invalidParameter, .emptyPrompt: .badRequest(error.description)
        case .noChatTemplate, .model: .unprocessable(error.description)
        case .nonFiniteLogit: .unavailable(error.description, code: "model_output_not_finite")
        }
    }

    var activeAndQueued: (Int, Int) {
        get async { (resources.gate.active, resources.gate.queued) }
    }
}
