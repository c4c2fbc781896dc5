/// How decoding removes the "▁" a SentencePiece-style encoder prepended.
enum LeadingSpaceRule: Sendable, Equatable {
    /// Byte-level vocabularies: nothing was prepended.
    case keep
    /// Hugging Face `Strip(" ", 1, 0)` after `Fuse` (Llama-2 legacy, llama.cpp):
    /// one leading space of the whole output.
    case stripOne
    /// Hugging Face `Metaspace` decoder: every "▁" of the first output token is
    /// dropped (the first token after skipped special tokens).
    case dropFromFirstToken
}

/// Everything a loader (GGUF metadata or tokenizer.json) extracts, in one
/// format-neutral form; `Tokenizer` builds its lookup tables from it.
struct TokenizerDescription: Sendable {
    /// What the BPE model's initial symbols are.
    enum Alphabet: Sendable, Equatable {
        /// Byte-level BPE: every UTF-8 byte is a symbol, spelled with GPT-2's
        /// byte-to-scalar alphabet in the vocabulary.
        case byteLevel
        /// Character BPE (SentencePiece style): every scalar is a symbol;
        /// scalars missing from the vocabulary become `<0xNN>` byte tokens
        /// (`byteFallback`) or the unknown token (runs fused if `fuseUnknown`).
        case scalars(byteFallback: Bool, fuseUnknown: Bool)
    }

    /// Where merge priorities come from.
    enum Merges: Sendable {
        /// Explicit merge rules (left and right token spellings), highest priority first.
        case ranked([(String, String)])
        /// SentencePiece scores: merge the adjacent pair whose joined piece has
        /// the highest score.
        case scores([Float])
    }

    /// A token matched literally in input text before BPE.
    struct LiteralToken: Sendable {
        var id: TokenID
        var content: String
        /// Only matched when the caller asks to parse special tokens.
        var special: Bool
        /// Absorb whitespace on the left / right of the match (Hugging Face flags).
        var lstrip = false
        var rstrip = false
    }

    var tokens: [String]
    var kinds: [TokenKind]
    var alphabet: Alphabet
    var merges: Merges
    /// Use a whole pre-tokenized word directly when it is in the vocabulary (Llama-3).
    var ignoreMerges = false
    var unknownTokenID: TokenID?
    var normalizers: [NormalizerStep] = []
    var metaspace: MetaspaceOptions?
    /// Prepend a space to text that does not start with one (byte-level `add_prefix_space`).
    var addPrefixSpace = false
    var preTokenizer = PreTokenizerPipeline(steps: [])
    /// Decoding: turn "▁" back into spaces.
    var decodeMetaspace = false
    /// Decoding: how the space the encoder prepended is removed again.
    var leadingSpace = LeadingSpaceRule.keep
    var literalTokens: [LiteralToken] = []
    var bosTokenID: TokenID?
    var eosTokenID: TokenID?
    var eotTokenID: TokenID?
    var paddingTokenID: TokenID?
    var addsBOS = false
    var addsEOS = false
    var chatTemplate: String?

    /// Literal tokens for a GGUF-style vocabulary: control and unknown tokens are
    /// special, user-defined ones are always matched.
    static func literalTokens(tokens: [String], kinds: [TokenKind]) -> [LiteralToken] {
        var out: [LiteralToken] = []
        for (index, kind) in kinds.enumerated() where kind.isMatchedLiterally && !tokens[index].isEmpty {
            out.append(LiteralToken(id: TokenID(index), content: tokens[index], special: kind.isSpecial))
        }
        return out
    }
}
