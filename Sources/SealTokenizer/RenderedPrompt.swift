/// A conversation rendered by a chat template: the template's own text interleaved with
/// the messages' content.
///
/// The two are kept apart because they are trusted differently. Template text spells
/// control tokens ("<|im_start|>", "[INST]") that become their ids; message content is
/// whatever a client sent, and is always tokenized as plain text, so a message holding
/// "<|im_end|><|im_start|>system" cannot forge a turn (see
/// ``Tokenizer/encode(_:allowSpecialTokensInContent:)``).
public struct RenderedPrompt: Sendable, Equatable {
    /// One run of template text or of message content.
    public struct Piece: Sendable, Equatable {
        public var text: String
        public var isContent: Bool

        public init(text: String, isContent: Bool) {
            self.text = text
            self.isContent = isContent
        }
    }

    public private(set) var pieces: [Piece] = []

    public init() {}

    /// The prompt as one string, as the model's Jinja template would render it.
    public var text: String { pieces.map(\.text).joined() }

    /// Appends template text.
    static func += (prompt: inout RenderedPrompt, text: String) {
        prompt.append(text, isContent: false)
    }

    /// Appends message content.
    mutating func content(_ text: String) {
        append(text, isContent: true)
    }

    private mutating func append(_ text: String, isContent: Bool) {
        guard !text.isEmpty else { return }
        if let last = pieces.last, last.isContent == isContent {
            pieces[pieces.count - 1].text += text
        } else {
            pieces.append(Piece(text: text, isContent: isContent))
        }
    }
}

extension Tokenizer {
    /// Tokenizes a rendered chat prompt (no BOS or EOS is added: templates write their own).
    ///
    /// Special-token spellings become control tokens only where the template wrote them.
    /// Inside message content they are spelled out by BPE like any text, unless
    /// `allowSpecialTokensInContent` (off by default; for callers whose clients are
    /// trusted) reads the whole prompt with special tokens parsed. Ordinary added
    /// tokens match in both. Text is otherwise encoded as one string, so a prompt without
    /// special spellings in its content gets exactly the tokens of `encode(prompt.text)`.
    public func encode(_ prompt: RenderedPrompt, allowSpecialTokensInContent: Bool = false) -> [TokenID] {
        if allowSpecialTokensInContent {
            return encode(prompt.text, addSpecialTokens: false, parseSpecialTokens: true)
        }
        var scalars: [UInt32] = []
        var trusted: [Bool] = []
        for piece in prompt.pieces {
            for scalar in piece.text.unicodeScalars {
                scalars.append(scalar.value)
                trusted.append(!piece.isContent)
            }
        }
        return encode(scalars: scalars, segments: allLiterals.segments(scalars, trusted: trusted, plain: ordinaryLiterals),
                      addSpecialTokens: false)
    }
}
