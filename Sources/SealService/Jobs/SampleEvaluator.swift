import SealAPI
import SealGeneration
import SealModel
import SealPlugins
import SealTokenizer

/// Runs one task sample through the model (greedy) and scores the output with the task.
///
/// Shared by evaluation jobs and grids, so both read the same prompt (chat template, optional
/// answer prefix), plan the context extension the same way (per sample, for the length it
/// reaches, as a generation request is), refuse the same over-long prompts and score alike.
struct SampleEvaluator: Sendable {
    let loaded: ModelHost.Loaded
    let transformer: TransformerModel
    /// The requested extension; the model's declared scaling or the daemon default otherwise.
    let contextExtension: ContextExtensionChoice?
    let maxTokens: Int
    let plugins: PluginBridge
    let task: String
    let parameters: [String: JSONValue]
    /// Holds the previous prompt's KV state so the next one prefills only what differs.
    let promptCache: PromptCache

    /// - Parameters:
    ///   - capacity: the most positions a sample of the job reaches (its longest prompt plus
    ///     `maxTokens`), so one cached session serves every sample.
    ///   - reusePrefixes: keep the KV state of a prefix shared with the previous prompt (exact:
    ///     the same answers as without; off only to measure what it saves).
    init(loaded: ModelHost.Loaded, transformer: TransformerModel, contextExtension: ContextExtensionChoice?, maxTokens: Int,
         plugins: PluginBridge, task: String, parameters: [String: JSONValue], capacity: Int, reusePrefixes: Bool = true) {
        self.loaded = loaded
        self.transformer = transformer
        self.contextExtension = contextExtension
        self.maxTokens = maxTokens
        self.plugins = plugins
        self.task = task
        self.parameters = parameters
        promptCache = PromptCache(model: loaded.model, transformer: transformer, capacity: capacity, reuse: reusePrefixes,
                                  keyValueCache: loaded.kvCache)
    }

    /// New tokens per answer when a job does not say, and the most it may ask for.
    static let defaultMaxTokens = 32
    static let maxTokensRange = 1...512

    /// Refuses a job's `max_tokens` outside ``maxTokensRange``; `field` names it ("eval.max_tokens").
    static func validate(maxTokens: Int?, field: String) throws(ServiceError) {
        if let maxTokens, !maxTokensRange.contains(maxTokens) {
            throw ServiceError.badRequest("\(field) must be in \(maxTokensRange.lowerBound)...\(maxTokensRange.upperBound), got \(maxTokens)")
        }
    }

    struct Outcome: Sendable {
        var promptTokens: Int
        var output: String
        var score: TaskScore
        /// The scorer's explanation; `nil` when it gives none.
        var reason: String? { score.reason.isEmpty ? nil : score.reason }
    }

    /// The tokens the model reads for `sample`: what evaluation feeds and tuning trains on
    /// (``JobRunner/tuningSample(_:model:primed:)`` appends the answer to exactly these).
    static func prompt(_ sample: DatasetContent.Sample, model: LanguageModel, primed: Bool) -> [TokenID] {
        model.taskPrompt(sample.prompt, answerPrefix: primed ? sample.answerPrefix ?? "" : "")
    }

    /// - Parameter primed: render the sample's answer prefix at the start of the assistant turn.
    func evaluate(_ sample: DatasetContent.Sample, primed: Bool) throws -> Outcome {
        let model = loaded.model
        let prompt = Self.prompt(sample, model: model, primed: primed)
        let reach = prompt.count + maxTokens
        let resolved = try plugins.resolve(contextExtension, loaded: loaded, rope: transformer.ropeParameters, targetLength: reach)
        guard reach <= resolved.window else {
            throw ServiceError.unprocessable(
                "sample \(sample.index) needs \(reach) positions but the window is \(resolved.window); use a context extension")
        }
        let output = try promptCache.generate(prompt: prompt, positionEncoding: resolved.encoding, reach: reach,
                                              options: GenerationOptions(maxTokens: maxTokens, sampling: .greedy))
        let score = try plugins.score(task: task, prompt: sample.prompt, answer: sample.answer, label: sample.label,
                                      output: output.text, parameters: parameters)
        return Outcome(promptTokens: prompt.count, output: output.text, score: score)
    }

    /// The label of the plan used for sequences of `length` positions ("linear x4"), or nil
    /// when no extension applies.
    func planLabel(reaching length: Int) throws -> String? {
        try plugins.resolve(contextExtension, loaded: loaded, rope: transformer.ropeParameters,
                            targetLength: max(1, length)).label
    }
}
