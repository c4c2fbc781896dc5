import SealAPI
import SealGeneration
import SealModel
import SealPlugins

/// Makes the samples of one task data set, sized in the tokens the model actually reads.
///
/// The plugin sizes its prompt text with the tokenizer alone; this type subtracts what the
/// host adds around it (the chat template, and the answer prefix when it is rendered) so a
/// request for N tokens yields model inputs of about N tokens. Dataset jobs, evaluation grids
/// and tuning jobs share it, so all three see the same samples for the same seed.
struct TaskSampler: Sendable {
    let plugins: PluginBridge
    let model: LanguageModel
    let task: String
    let parameters: [String: JSONValue]
    let seed: UInt64
    /// Samples in the data set (tasks spread depths over it).
    let sampleCount: Int
    let purpose: TaskPurpose
    /// Render the task's answer prefix at the start of the assistant turn.
    let primeAnswer: Bool

    /// Parses the API's purpose name ("evaluation" when absent).
    static func purpose(_ name: String?) throws(ServiceError) -> TaskPurpose {
        guard let name else { return .evaluation }
        guard let purpose = TaskPurpose(rawValue: name) else {
            throw ServiceError.badRequest("purpose must be \"evaluation\" or \"training\", got \"\(name)\"")
        }
        return purpose
    }

    /// Sample `index`, aiming at `targetTokens` model-input tokens.
    func sample(index: Int, targetTokens: Int) throws -> DatasetContent.Sample {
        let tokenizer = model.tokenizer
        let count: (String) -> Int = { tokenizer.encode($0, addSpecialTokens: false, parseSpecialTokens: false).count }
        let textTarget = max(1, targetTokens - model.taskPromptOverhead())
        var made = try make(index: index, textTarget: textTarget, count: count)
        if primeAnswer, !made.answerPrefix.isEmpty {
            // The prefix is only known once the sample exists; ask again with room for it.
            made = try make(index: index, textTarget: max(1, textTarget - count(made.answerPrefix)), count: count)
        }
        let prefix = primeAnswer ? made.answerPrefix : ""
        return DatasetContent.Sample(index: index, prompt: made.prompt, answer: made.answer, label: made.label,
                                     promptTokens: model.taskPrompt(made.prompt, answerPrefix: prefix).count,
                                     answerPrefix: made.answerPrefix.isEmpty ? nil : made.answerPrefix,
                                     fields: PluginBridge.json(made.fields))
    }

    private func make(index: Int, textTarget: Int, count: (String) -> Int) throws -> TaskSample {
        try plugins.makeSample(task: task, index: index, seed: seed, targetTokens: textTarget, parameters: parameters,
                               sampleCount: sampleCount, purpose: purpose, tokenCounter: count, textGenerator: generate)
    }

    /// Most new tokens a plugin may ask the model for in one call (needles are a few lines).
    static let maximumGeneratedTokens = 256

    /// Greedy generation by the loaded model for tasks that write content with it (needles).
    private func generate(_ prompt: String, _ maximum: Int) -> String? {
        let tokens = model.taskPrompt(prompt)
        let budget = min(max(1, maximum), Self.maximumGeneratedTokens)
        guard let session = try? InferenceSession(model: model.transformer, capacity: tokens.count + budget,
                                                  positionEncoding: StandardRoPE()),
              let result = try? Generator(model: model).generate(
                prompt: tokens, in: session, options: GenerationOptions(maxTokens: budget, sampling: .greedy)) else {
            return nil
        }
        return result.text
    }
}
