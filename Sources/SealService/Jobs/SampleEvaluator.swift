import SealAPI
import SealGeneration
import SealModel
import SealPlugins

/// Runs one task sample through the model (greedy) and scores the output with the task.
///
/// Shared by evaluation jobs and grids, so both read the same prompt (chat template, optional
/// answer prefix), refuse the same over-long prompts and score the same way.
struct SampleEvaluator: Sendable {
    let model: LanguageModel
    let transformer: TransformerModel
    let encoding: any PositionEncoding
    /// Positions the model (with its context extension) can address.
    let window: Int
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
        let prompt = model.taskPrompt(text, answerPrefix: answerPrefix)
        guard prompt.count + maxTokens <= window else {
            throw ServiceError.unprocessable(
                "sample \(index) needs \(prompt.count + maxTokens) positions but the window is \(window); use a context extension")
        }
        let session = try InferenceSession(model: transformer, capacity: prompt.count + maxTokens, positionEncoding: encoding)
        let output = try Generator(model: model).generate(
            prompt: prompt, in: session, options: GenerationOptions(maxTokens: maxTokens, sampling: .greedy))
        let score = try plugins.score(task: task, prompt: text, answer: answer, label: label, output: output.text,
                                      parameters: parameters)
        return Outcome(promptTokens: prompt.count, output: output.text, score: score)
    }
}
