import Foundation

/// Loading from a Hugging Face `tokenizer.json` (and optionally `tokenizer_config.json`).
extension Tokenizer {
    /// Builds the tokenizer described by a Hugging Face `tokenizer.json`.
    ///
    /// Supported: model `BPE` (merges as "a b" strings or `[a, b]` pairs, byte
    /// fallback, unknown token, `ignore_merges`), added tokens, the normalizers,
    /// pre-tokenizers and decoders used by the GPT-2 / Llama-3 / Qwen2 byte-level
    /// and Llama-2 / Mistral SentencePiece families. Anything else is refused
    /// with ``TokenizerError/Kind/unsupportedComponent(name:detail:)``, because a
    /// silently different tokenization degrades the model without any error.
    ///
    /// - Parameter tokenizerConfig: `tokenizer_config.json`, which carries
    ///   `add_bos_token`, the BOS/EOS spellings and the chat template.
    public convenience init(tokenizerJSON: URL, tokenizerConfig: URL? = nil) throws(TokenizerError) {
        let root = try JSONObject.load(tokenizerJSON)
        let config = try tokenizerConfig.map { (url: URL) throws(TokenizerError) in try JSONObject.load(url) }
        let description = try TokenizerJSONReader(root: root, config: config).describe()
        try self.init(description: description)
    }
}

/// Reads a parsed tokenizer.json into a `TokenizerDescription`.
struct TokenizerJSONReader {
    let root: JSONObject
    let config: JSONObject?

    func describe() throws(TokenizerError) -> TokenizerDescription {
        let model = try root.object("model")
        let type = try model.optionalString("type") ?? "BPE"
        guard type == "BPE" else { throw TokenizerError(.unknownModelType(type)) }
        try rejectUnsupportedBPEOptions(model)

        // Vocabulary: model vocab plus added tokens, indexed by id.
        let vocab = try model.object("vocab")
        var byID: [Int: String] = [:]
        for (token, value) in vocab.dictionary {
            guard let id = JSONObject.int(value) else {
                throw root.invalid("model.vocab[\"\(token)\"] is not an integer id")
            }
            byID[id] = token
        }
        let added = try addedTokens()
        for token in added { byID[Int(token.id)] = token.content }
        guard let maxID = byID.keys.max() else { throw TokenizerError(.emptyVocabulary) }
        guard byID.keys.min() ?? 0 >= 0 else { throw root.invalid("negative token id") }
        var tokens = [String](repeating: "", count: maxID + 1)
        var kinds = [TokenKind](repeating: .unused, count: maxID + 1)
        for (id, token) in byID {
            tokens[id] = token
            kinds[id] = .normal
        }
        let byteFallback = try model.optionalBool("byte_fallback") ?? false
        if byteFallback {
            for (id, token) in tokens.enumerated() where ByteTokenSpelling.byte(of: token) != nil {
                kinds[id] = .byte
            }
        }
        for token in added {
            kinds[Int(token.id)] = token.special ? .control : .userDefined
        }

        let components = try TokenizerJSONComponents.read(root)
        let alphabet: TokenizerDescription.Alphabet = components.byteLevel
            ? .byteLevel
            : .scalars(byteFallback: byteFallback, fuseUnknown: try model.optionalBool("fuse_unk") ?? false)
        var d = TokenizerDescription(tokens: tokens, kinds: kinds, alphabet: alphabet, merges: .ranked(try merges(model)))
        d.ignoreMerges = try model.optionalBool("ignore_merges") ?? false
        if let unk = try model.optionalString("unk_token") {
            guard let id = byID.first(where: { $0.value == unk })?.key else {
                throw root.invalid("unk_token '\(unk)' is not in the vocabulary")
            }
            d.unknownTokenID = TokenID(id)
            if kinds[id] == .normal { d.kinds[id] = .unknown }
        }
        d.normalizers = components.normalizers
        d.metaspace = components.metaspace
        d.addPrefixSpace = components.addPrefixSpace
        d.preTokenizer = components.preTokenizer
        d.decodeMetaspace = components.decodeMetaspace
        d.leadingSpace = components.leadingSpace
        d.literalTokens = added
        try applySpecialTokenSettings(&d, template: components.template)
        return d
    }

    func rejectUnsupportedBPEOptions(_ model: JSONObject) throws(TokenizerError) {
        if let dropout = try model.optionalDouble("dropout"), dropout != 0 {
            throw TokenizerError(.unsupportedComponent(name: "BPE.dropout", detail: "dropout \(dropout) is not supported"))
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = try model.optionalString(key), !value.isEmpty {
                throw TokenizerError(.unsupportedComponent(name: "BPE.\(key)", detail: "'\(value)' is not supported"))
            }
        }
    }

    /// `model.merges`: "a b" strings (older files) or `[a, b]` pairs (newer).
    func merges(_ model: JSONObject) throws(TokenizerError) -> [(String, String)] {
        guard let raw = model.dictionary["merges"] else { return [] }
        guard let list = raw as? [Any] else { throw root.invalid("model.merges is not an array") }
        var out: [(String, String)] = []
        out.reserveCapacity(list.count)
        for (index, entry) in list.enumerated() {
            if let string = entry as? String, let pair = GGUFTokenizerReader.splitMerge(string) {
                out.append(pair)
            } else if let pair = entry as? [Any], pair.count == 2, let a = pair[0] as? String, let b = pair[1] as? String {
                out.append((a, b))
            } else {
                throw TokenizerError(.malformedMerge(index: index, merge: "\(entry)"))
            }
        }
        return out
    }

    func addedTokens() throws(TokenizerError) -> [TokenizerDescription.LiteralToken] {
        guard let list = root.dictionary["added_tokens"] as? [Any] else { return [] }
        var out: [TokenizerDescription.LiteralToken] = []
        for (index, entry) in list.enumerated() {
            guard let object = entry as? [String: Any] else { throw root.invalid("added_tokens[\(index)] is not an object") }
            let token = JSONObject(object, path: root.path)
            guard let id = JSONObject.int(object["id"] as Any), let content = object["content"] as? String,
                let tokenID = TokenID(exactly: id)
            else {
                throw root.invalid("added_tokens[\(index)] lacks an integer id or a content string")
            }
            if try token.optionalBool("single_word") == true {
                throw TokenizerError(.unsupportedComponent(
                    name: "added_tokens.single_word", detail: "token '\(content)' uses single_word matching"))
            }
            out.append(TokenizerDescription.LiteralToken(
                id: tokenID, content: content, special: try token.optionalBool("special") ?? false,
                lstrip: try token.optionalBool("lstrip") ?? false, rstrip: try token.optionalBool("rstrip") ?? false))
        }
        return out
    }

    /// BOS/EOS and whether to add them: tokenizer_config.json when it says so,
    /// otherwise the post-processor's template.
    func applySpecialTokenSettings(_ d: inout TokenizerDescription, template: PostProcessorTemplate) throws(TokenizerError) {
        func id(of spelling: String?) -> TokenID? {
            guard let spelling else { return nil }
            return d.tokens.firstIndex(of: spelling).map { TokenID($0) }
        }
        d.bosTokenID = id(of: template.first)
        d.eosTokenID = id(of: template.last)
        d.addsBOS = template.first != nil
        d.addsEOS = template.last != nil
        guard let config else { return }
        if let bos = try config.tokenSpelling("bos_token") { d.bosTokenID = id(of: bos) }
        if let eos = try config.tokenSpelling("eos_token") { d.eosTokenID = id(of: eos) }
        if let pad = try config.tokenSpelling("pad_token") { d.paddingTokenID = id(of: pad) }
        if let add = try config.optionalBool("add_bos_token") { d.addsBOS = add }
        if let add = try config.optionalBool("add_eos_token") { d.addsEOS = add }
        d.chatTemplate = try config.chatTemplate()
    }
}
