import SealModel
import SealTokenizer

extension LanguageModel {
    /// The tokens the model reads for a task sample: the prompt as the user message (through the
    /// chat template when the model has one, else as a completion prompt), followed, when
    /// `answerPrefix` is not empty, by the prefix that opens the assistant's answer.
    ///
    /// Datasets count prompt lengths with this, and evaluations and training feed it, so the
    /// length a user asks for is the length the model sees.
    public func taskPrompt(_ prompt: String, answerPrefix: String = "") -> [TokenID] {
        var tokens = (try? chatPrompt([ChatMessage(role: "user", content: prompt)])) ?? completionPrompt(prompt)
        if !answerPrefix.isEmpty {
            tokens += tokenizer.encode(answerPrefix, addSpecialTokens: false, parseSpecialTokens: false)
        }
        return tokens
    }

    /// Tokens ``taskPrompt(_:answerPrefix:)`` adds around a prompt text of the tokenizer's own
    /// count: what a task plugin's target must leave room for.
    public func taskPromptOverhead(answerPrefix: String = "") -> Int {
        let probe = "Tell me the number."
        let bare = tokenizer.encode(probe, addSpecialTokens: false, parseSpecialTokens: false).count
        return max(0, taskPrompt(probe, answerPrefix: answerPrefix).count - bare)
    }
}
