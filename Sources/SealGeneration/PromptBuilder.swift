import SealModel
import SealTokenizer

extension LanguageModel {
    /// Renders a conversation with the model's chat template (or `template`) and tokenizes it.
    ///
    /// Message content is plain text: special-token spellings in it are spelled out, not
    /// read as control tokens, unless `allowSpecialTokensInContent` (a trusted-client
    /// switch, off by default) says otherwise. Only the template writes control tokens.
    public func chatPrompt(_ messages: [ChatMessage], template: ChatTemplate? = nil,
                           allowSpecialTokensInContent: Bool = false) throws(GenerationError) -> [TokenID] {
        guard let template = template ?? chatTemplate else { throw GenerationError(.noChatTemplate) }
        let bos = tokenizer.bosTokenID.map { tokenizer.decode([$0]) } ?? ""
        let eos = tokenizer.eosTokenID.map { tokenizer.decode([$0]) } ?? ""
        let prompt = template.renderPrompt(messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
        // The template writes BOS itself where the family wants one.
        return tokenizer.encode(prompt, allowSpecialTokensInContent: allowSpecialTokensInContent)
    }

    /// Tokenizes plain text as a completion prompt (BOS added when the vocabulary asks for it).
    public func completionPrompt(_ text: String) -> [TokenID] {
        tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: false)
    }
}
