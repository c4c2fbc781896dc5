import SealFormats

/// Loading from GGUF metadata (`tokenizer.ggml.*`), the format llama.cpp uses.
extension Tokenizer {
    /// Builds the tokenizer stored in a GGUF file's metadata.
    ///
    /// Takes the metadata dictionary rather than a file so that the caller, which
    /// has already parsed the GGUF header for the model, does not read it twice.
    ///
    /// Supported `tokenizer.ggml.model` values: `gpt2` (byte-level BPE; the
    /// pre-tokenizer comes from `tokenizer.ggml.pre`) and `llama` (SentencePiece
    /// BPE with scores and `<0xNN>` byte fallback). Anything else is refused
    /// rather than tokenized wrongly.
    public convenience init(ggufMetadata metadata: [String: GGUFValue]) throws(TokenizerError) {
        try self.init(description: GGUFTokenizerReader(metadata).describe())
    }
}

/// Reads `tokenizer.ggml.*` keys into a `TokenizerDescription`.
struct GGUFTokenizerReader {
    let metadata: [String: GGUFValue]

    init(_ metadata: [String: GGUFValue]) {
        self.metadata = metadata
    }

    func describe() throws(TokenizerError) -> TokenizerDescription {
        let model = try requiredString("tokenizer.ggml.model")
        let tokens = try requiredStringArray("tokenizer.ggml.tokens")
        var kinds = [TokenKind](repeating: .normal, count: tokens.count)
        if let types = try optionalIntArray("tokenizer.ggml.token_type") {
            guard types.count == tokens.count else {
                throw TokenizerError(.mismatchedArrayLengths(
                    key: "tokenizer.ggml.token_type", expected: tokens.count, actual: types.count))
            }
            kinds = types.map(TokenKind.init(ggufType:))
        }
        var d: TokenizerDescription
        switch model {
        case "gpt2":
            d = TokenizerDescription(tokens: tokens, kinds: kinds, alphabet: .byteLevel, merges: .ranked(try merges()))
            let pre = try optionalString("tokenizer.ggml.pre") ?? "default"
            d.preTokenizer = try PreTokenizerPipeline.forGGUF(pre: pre)
            // Llama-3's tokenizer uses a word as-is when it is in the vocabulary.
            d.ignoreMerges = PreTokenizerPipeline.llama3Names.contains(pre)
            // Hugging Face's Qwen2 tokenizer normalizes to NFC first.
            if PreTokenizerPipeline.qwen2Names.contains(pre) { d.normalizers = [.nfc] }
            d.addsBOS = try optionalBool("tokenizer.ggml.add_bos_token") ?? d.ignoreMerges
            // Byte-level BPE never emits the unknown token: a byte missing from the
            // vocabulary is dropped (llama.cpp and HF without unk_token agree).
            _ = try optionalID("tokenizer.ggml.unknown_token_id")
            d.bosTokenID = try optionalID("tokenizer.ggml.bos_token_id")
            d.eosTokenID = try optionalID("tokenizer.ggml.eos_token_id")
        case "llama":
            var scores = [Float](repeating: 0, count: tokens.count)
            if let values = try optionalFloatArray("tokenizer.ggml.scores") {
                guard values.count == tokens.count else {
                    throw TokenizerError(.mismatchedArrayLengths(
                        key: "tokenizer.ggml.scores", expected: tokens.count, actual: values.count))
                }
                scores = values
            }
            d = TokenizerDescription(
                tokens: tokens, kinds: kinds, alphabet: .scalars(byteFallback: true, fuseUnknown: true),
                merges: .scores(scores))
            let addSpacePrefix = try optionalBool("tokenizer.ggml.add_space_prefix") ?? true
            let metaspace: [UInt32] = [0x2581]
            d.normalizers = addSpacePrefix
                ? [.prepend(metaspace), .replace(pattern: [0x20], content: metaspace)]
                : [.replace(pattern: [0x20], content: metaspace)]
            d.decodeMetaspace = true
            d.leadingSpace = addSpacePrefix ? .stripOne : .keep
            d.addsBOS = try optionalBool("tokenizer.ggml.add_bos_token") ?? true
            // llama.cpp's defaults for SentencePiece vocabularies.
            d.unknownTokenID = try optionalID("tokenizer.ggml.unknown_token_id") ?? 0
            d.bosTokenID = try optionalID("tokenizer.ggml.bos_token_id") ?? 1
            d.eosTokenID = try optionalID("tokenizer.ggml.eos_token_id") ?? 2
        default:
            throw TokenizerError(.unknownModelType(model))
        }
        d.addsEOS = try optionalBool("tokenizer.ggml.add_eos_token") ?? false
        d.eotTokenID = try optionalID("tokenizer.ggml.eot_token_id")
        d.paddingTokenID = try optionalID("tokenizer.ggml.padding_token_id")
        d.chatTemplate = try optionalString("tokenizer.chat_template")
        d.literalTokens = TokenizerDescription.literalTokens(tokens: tokens, kinds: kinds)
        return d
    }

    /// `tokenizer.ggml.merges`: "left right" strings; the separator is the first
    /// space after the first scalar (llama.cpp's rule).
    func merges() throws(TokenizerError) -> [(String, String)] {
        let key = "tokenizer.ggml.merges"
        guard let value = metadata[key] else { throw TokenizerError(.missingKey(key)) }
        guard let strings = value.stringArray else {
            throw TokenizerError(.wrongValueType(key: key, expected: "an array of strings"))
        }
        var out: [(String, String)] = []
        out.reserveCapacity(strings.count)
        for (index, merge) in strings.enumerated() {
            guard let pair = Self.splitMerge(merge) else {
                throw TokenizerError(.malformedMerge(index: index, merge: merge))
            }
            out.append(pair)
        }
        return out
    }

    static func splitMerge(_ merge: String) -> (String, String)? {
        let scalars = merge.unicodeScalars
        guard !scalars.isEmpty else { return nil }
        let searchStart = scalars.index(after: scalars.startIndex)
        guard let space = scalars[searchStart...].firstIndex(of: " ") else { return nil }
        let left = String(scalars[..<space])
        let right = String(scalars[scalars.index(after: space)...])
        guard !right.isEmpty else { return nil }
        return (left, right)
    }

    // MARK: - Typed access

    func requiredString(_ key: String) throws(TokenizerError) -> String {
        guard let value = try optionalString(key) else { throw TokenizerError(.missingKey(key)) }
        return value
    }

    func optionalString(_ key: String) throws(TokenizerError) -> String? {
        guard let value = metadata[key] else { return nil }
        guard let string = value.stringValue else { throw TokenizerError(.wrongValueType(key: key, expected: "a string")) }
        return string
    }

    func requiredStringArray(_ key: String) throws(TokenizerError) -> [String] {
        guard let value = metadata[key] else { throw TokenizerError(.missingKey(key)) }
        guard let array = value.stringArray else {
            throw TokenizerError(.wrongValueType(key: key, expected: "an array of strings"))
        }
        return array
    }

    func optionalIntArray(_ key: String) throws(TokenizerError) -> [Int]? {
        guard let value = metadata[key] else { return nil }
        guard let array = value.intArray else {
            throw TokenizerError(.wrongValueType(key: key, expected: "an array of integers"))
        }
        return array
    }

    func optionalFloatArray(_ key: String) throws(TokenizerError) -> [Float]? {
        guard let value = metadata[key] else { return nil }
        guard let array = value.floatArray else {
            throw TokenizerError(.wrongValueType(key: key, expected: "an array of numbers"))
        }
        return array
    }

    func optionalBool(_ key: String) throws(TokenizerError) -> Bool? {
        guard let value = metadata[key] else { return nil }
        guard let bool = value.boolValue else { throw TokenizerError(.wrongValueType(key: key, expected: "a boolean")) }
        return bool
    }

    /// A token id; out-of-range values are rejected later against the vocabulary.
    func optionalID(_ key: String) throws(TokenizerError) -> TokenID? {
        guard let value = metadata[key] else { return nil }
        guard let int = value.intValue else { throw TokenizerError(.wrongValueType(key: key, expected: "an integer")) }
        guard let id = TokenID(exactly: int) else {
            throw TokenizerError(.tokenIDOutOfRange(key: key, id: int, vocabularySize: 0))
        }
        return id
    }
}
