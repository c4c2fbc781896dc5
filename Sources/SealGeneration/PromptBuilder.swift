import SealModel
import SealTokenizer

extension LanguageModel {
    /// Renders a conversation with the model's chat template (or `template`) and tokenizes it.
    public func chatPrompt(_ messages: [ChatMessage], template: ChatTemplate? = nil) throws(GenerationError) -> [TokenID] {
        guard let template = template ?? chatTemplate else { throw GenerationError(.noChatTemplate) }
        let bos = tokenizer.bosTokenID.map { tokenizer.decode([$0]) } ?? ""
        let eos = tokenizer.eosTokenID.map { tokenizer.decode([$0]) } ?? ""
        let text = template.render(messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
        // The template writes BOS itself where the family wants one.
        return tokenizer.encode(text, addSpecialTokens: false, parseSpecialTokens: true)
    }

    /// Tokenizes plain text as a completion prompt (BOS added when the vocabulary asks for it).
    public func completionPrompt(_ text: String) -> [TokenID] {
        tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: false)
    }
}
