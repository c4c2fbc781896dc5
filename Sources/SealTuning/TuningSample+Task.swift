import SealGeneration
import SealModel

extension TuningSample {
    /// The tuning sample of a task sample: the prompt as the model reads it in an evaluation
    /// (``LanguageModel/taskPrompt(_:answerPrefix:)``) followed by the answer the loss scores.
    ///
    /// Primed, the task's answer prefix opens the assistant turn and only the rest of the label
    /// (" 31415.") is scored, so training reads exactly what a primed evaluation reads. A prefix
    /// that the label does not start with cannot be split off; such a sample trains unprimed.
    /// Shared by seald's tuning jobs and `seal-run scale-gradients`, so both see the same tokens.
    public init(prompt: String, answer: String, label: String, answerPrefix: String?, primed: Bool,
                model: LanguageModel) throws(SealTuningError) {
        let label = label.isEmpty ? answer : label
        let prefix = primed ? (answerPrefix ?? "") : ""
        let rendered = !prefix.isEmpty && label.hasPrefix(prefix) ? prefix : ""
        let promptTokens = model.taskPrompt(prompt, answerPrefix: rendered)
        let completion = String(label.dropFirst(rendered.count))
        let answerTokens = model.tokenizer.encode(completion, addSpecialTokens: false, parseSpecialTokens: false)
        guard !answerTokens.isEmpty else { throw SealTuningError(.invalidSample(reason: "the answer is empty")) }
        self.init(tokens: promptTokens + answerTokens, answerStart: promptTokens.count)
    }
}
