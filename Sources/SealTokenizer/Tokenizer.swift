/// A token id: an index into the vocabulary (a row of the model's embedding matrix).
/// 32 bits, as in GGUF and llama.cpp, which halves the memory of long prompts.
public typealias TokenID = Int32

/// Converts text to token ids and back for Llama-family models.
///
/// One type serves the two vocabulary families these models use:
/// byte-level BPE (GPT-2, Llama-3, Qwen2, SmolLM: every byte is representable,
/// merges ranked by list position) and SentencePiece BPE (Llama-2, Mistral,
/// TinyLlama: "▁" for spaces, merges ranked by piece score, `<0xNN>` byte
/// fallback). Build it from GGUF metadata with ``init(ggufMetadata:)`` or from a
/// Hugging Face `tokenizer.json` with ``init(tokenizerJSON:tokenizerConfig:)``.
///
/// The instance is immutable after construction and therefore `Sendable`; each
/// `encode` call keeps its own per-word cache, so concurrent calls never contend.
public final class Tokenizer: Sendable {
    let tokens: [String]
    let kinds: [TokenKind]
    let idForToken: [String: TokenID]
    /// The bytes each token contributes to decoded text.
    let decodedBytes: [[UInt8]]
    let mergeTable: MergeTable
    let alphabet: TokenizerDescription.Alphabet
    let ignoreMerges: Bool
    let unknownTokenID: TokenID?
    /// Byte-level: the token of each byte; byte fallback: the `<0xNN>` tokens. -1 if absent.
    let byteSymbolIDs: [TokenID]
    /// Character BPE: the single-scalar tokens.
    let scalarSymbolIDs: [UInt32: TokenID]
    let normalizers: [NormalizerStep]
    let metaspace: MetaspaceOptions?
    let addPrefixSpace: Bool
    let preTokenizer: PreTokenizerPipeline
    let leadingSpace: LeadingSpaceRule
    /// All literal tokens (special and user-defined).
    let allLiterals: LiteralTokenMatcher
    /// Literal tokens matched even when special tokens are not parsed.
    let ordinaryLiterals: LiteralTokenMatcher

    /// The beginning-of-sequence token, if the vocabulary has one.
    public let bosTokenID: TokenID?
    /// The end-of-sequence token, if the vocabulary has one.
    public let eosTokenID: TokenID?
    /// Whether ``encode(_:addSpecialTokens:parseSpecialTokens:)`` starts with BOS;
    /// models are trained with a fixed convention and degrade without it.
    public let addsBOS: Bool
    /// Whether ``encode(_:addSpecialTokens:parseSpecialTokens:)`` ends with EOS.
    public let addsEOS: Bool
    /// The Jinja chat template shipped with the model, if any. See ``ChatTemplate``.
    public let chatTemplateSource: String?
    /// Tokens that end a generated turn: EOS, EOT and the conventional
    /// end markers present in the vocabulary. A decode loop stops on any of them,
    /// because chat models often end turns with a token other than EOS.
    public let endOfGenerationTokenIDs: Set<TokenID>

    /// The number of token ids (rows of the model's embedding matrix).
    public var vocabularySize: Int { tokens.count }

    init(description d: TokenizerDescription) throws(TokenizerError) {
        guard !d.tokens.isEmpty else { throw TokenizerError(.emptyVocabulary) }
        guard d.kinds.count == d.tokens.count else {
            throw TokenizerError(.mismatchedArrayLengths(key: "token types", expected: d.tokens.count, actual: d.kinds.count))
        }
        let count = d.tokens.count
        for (key, id) in [("bos", d.bosTokenID), ("eos", d.eosTokenID), ("eot", d.eotTokenID),
                          ("unknown", d.unknownTokenID), ("padding", d.paddingTokenID)] {
            if let id, id < 0 || Int(id) >= count {
                throw TokenizerError(.tokenIDOutOfRange(key: key, id: Int(id), vocabularySize: count))
            }
        }
        tokens = d.tokens
        kinds = d.kinds
        var idForToken: [String: TokenID] = [:]
        idForToken.reserveCapacity(count)
        for (index, token) in d.tokens.enumerated() {
            idForToken[token] = TokenID(index)
        }
        self.idForToken = idForToken
        decodedBytes = Self.makeDecodedBytes(d)
        alphabet = d.alphabet
        ignoreMerges = d.ignoreMerges
        unknownTokenID = d.unknownTokenID
        (byteSymbolIDs, scalarSymbolIDs) = try Self.makeSymbolTables(d, idForToken)
        mergeTable = try Self.makeMergeTable(d, idForToken)
        normalizers = d.normalizers
        metaspace = d.metaspace
        addPrefixSpace = d.addPrefixSpace
        preTokenizer = d.preTokenizer
        leadingSpace = d.leadingSpace
        allLiterals = LiteralTokenMatcher(d.literalTokens)
        ordinaryLiterals = LiteralTokenMatcher(d.literalTokens.filter { !$0.special })
        bosTokenID = d.bosTokenID
        eosTokenID = d.eosTokenID
        addsBOS = d.addsBOS && d.bosTokenID != nil
        addsEOS = d.addsEOS && d.eosTokenID != nil
        chatTemplateSource = d.chatTemplate
        var stops = Set([d.eosTokenID, d.eotTokenID].compactMap { $0 })
        for name in Self.conventionalEndMarkers {
            if let id = idForToken[name], d.kinds[Int(id)] != .normal { stops.insert(id) }
        }
        endOfGenerationTokenIDs = stops
    }

    static let conventionalEndMarkers = [
        "<|im_end|>", "<|endoftext|>", "</s>", "<|eot_id|>", "<|end_of_text|>", "<end_of_turn>",
    ]

    /// Whether `id` is a control (or unknown) token, as opposed to text.
    public func isSpecial(_ id: TokenID) -> Bool {
        guard id >= 0, Int(id) < kinds.count else { return false }
        return kinds[Int(id)].isSpecial
    }

    /// The vocabulary spelling of a token (e.g. "Ġthe", "▁the", "<0x0A>"); empty if out of range.
    public func tokenText(_ id: TokenID) -> String {
        guard id >= 0, Int(id) < tokens.count else { return "" }
        return tokens[Int(id)]
    }

    /// The id of a token by its vocabulary spelling (e.g. "<|im_end|>").
    public func tokenID(forText text: String) -> TokenID? {
        idForToken[text]
    }

    /// The raw bytes a token stands for in decoded text: byte-level tokens
    /// decoded from GPT-2's alphabet, "▁" as a space, `<0xNN>` as one byte,
    /// special tokens as their spelling. Empty for ids outside the vocabulary.
    ///
    /// Tokens need not end on character boundaries, which is why streaming output
    /// goes through ``StreamingDecoder``.
    public func tokenBytes(_ id: TokenID) -> [UInt8] {
        guard id >= 0, Int(id) < decodedBytes.count else { return [] }
        return decodedBytes[Int(id)]
    }
}
