import SealAPI
import SealGeneration
import SealModel
import SealPlugins

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

    struct Outcome: Sendable {
        var promptTokens: Int
        var output: String
        var score: TaskScore
    }

    /// - Parameter answerPrefix: rendered at the start of the assistant turn; "" for none.
    func evaluate(index: Int, prompt text: String, answerPrefix: String, answer: String, label: String) throws -> Outcome {
        let model = loaded.model
        let prompt = model.taskPrompt(text, answerPrefix: answerPrefix)
        let reach = prompt.count + maxTokens
        let resolved = try plugins.resolve(contextExtension, loaded: loaded, rope: transformer.ropeParameters, targetLength: reach)
        guard reach <= resolved.window else {
            throw ServiceError.unprocessable(
                "sample \(index) needs \(reach) positions but the window is \(resolved.window); use a context extension")
        }
        let session = try InferenceSession(model: transformer, capacity: reach, positionEncoding: resolved.encoding)
        let output = try Generator(model: model).generate(
            prompt: prompt, in: session, options: GenerationOptions(maxTokens: maxTokens, sampling: .greedy))
        let score = try plugins.score(task: task, prompt: text, answer: answer, label: label, output: output.text,
                                      parameters: parameters)
        return Outcome(promptTokens: prompt.count, output: output.text, score: score)
    }

    /// The label of the plan used for sequences of `length` positions ("linear x4"), or nil
    /// when no extension applies.
    func planLabel(reaching length: Int) throws -> String? {
        let resolved = try plugins.resolve(contextExtension, loaded: loaded, rope: transformer.ropeParameters,
                                           targetLength: max(1, length))
        guard let choice = resolved.choice else { return nil }
        return try plugins.planLabel(choice, rope: transformer.ropeParameters, length: max(1, length))
    }
}
