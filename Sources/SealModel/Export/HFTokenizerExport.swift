import Foundation
import SealFormats

/// A Hugging Face `tokenizer.json` and `tokenizer_config.json` from a GGUF file's tokenizer
/// metadata, following the conversion facts in `Tools/reference/gguf_to_hf_tokenizer.py`:
/// byte-level BPE (`gpt2`, with the llama.cpp pre-tokenizer named by `tokenizer.ggml.pre`) and
/// SentencePiece BPE with scores (`llama`), whose merges are derived the way transformers'
/// LlamaConverter does it.
struct HFTokenizerExport {
    static let normal = 1, unknown = 2, control = 3, userDefined = 4

    /// llama.cpp pre-tokenizers that split every digit before the GPT-2 regex.
    static let digitsThenGPT2: Set<String> = ["smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"]
    static let gpt2Only: Set<String> = ["gpt-2", "default", "phi-2", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de", "mpt", "olmo", "jais"]

    let model: String
    let pre: String
    let tokens: [String]
    let types: [Int]
    let scores: [Float]
    let merges: [String]
    let metadata: [String: GGUFValue]

    init(metadata: [String: GGUFValue]) throws(SealModelError) {
        func fail(_ reason: String) -> SealModelError { SealModelError(.exportFailed(reason: "tokenizer: \(reason)")) }
        guard let model = metadata["tokenizer.ggml.model"]?.stringValue else { throw fail("tokenizer.ggml.model is missing") }
        guard let tokens = metadata["tokenizer.ggml.tokens"]?.stringArray, !tokens.isEmpty else { throw fail("tokenizer.ggml.tokens is missing") }
        guard Set(tokens).count == tokens.count else { throw fail("the vocabulary has duplicate tokens; tokenizer.json cannot hold it") }
        self.model = model
        self.tokens = tokens
        pre = metadata["tokenizer.ggml.pre"]?.stringValue ?? "default"
        types = metadata["tokenizer.ggml.token_type"]?.intArray ?? Array(repeating: Self.normal, count: tokens.count)
        scores = metadata["tokenizer.ggml.scores"]?.floatArray ?? []
        merges = metadata["tokenizer.ggml.merges"]?.stringArray ?? []
        self.metadata = metadata
        guard types.count == tokens.count else { throw fail("\(types.count) token types for \(tokens.count) tokens") }
        switch model {
        case "gpt2":
            guard Self.digitsThenGPT2.contains(pre) || Self.gpt2Only.contains(pre) else {
                throw fail("the byte-level pre-tokenizer '\(pre)' has no known tokenizer.json equivalent here")
            }
        case "llama":
            guard scores.count == tokens.count else { throw fail("\(scores.count) scores for \(tokens.count) tokens") }
        default:
            throw fail("tokenizer model '\(model)' cannot be exported (supported: gpt2, llama)")
        }
    }

    func token(_ key: String) -> String? {
        guard let id = metadata[key]?.intValue, tokens.indices.contains(id) else { return nil }
        return tokens[id]
    }

    var addsBOS: Bool { metadata["tokenizer.ggml.add_bos_token"]?.boolValue ?? (model == "llama") }

    func tokenizerJSON() throws(SealModelError) -> [String: Any] {
        let vocabulary = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($0.element, $0.offset) })
        var added: [[String: Any]] = []
        for (id, type) in types.enumerated() where [Self.unknown, Self.control, Self.userDefined].contains(type) {
            added.append(["id": id, "content": tokens[id], "single_word": false, "lstrip": false, "rstrip": false,
                          "normalized": false, "special": type != Self.userDefined])
        }
        var json: [String: Any] = ["version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added]
        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true]
        if model == "gpt2" {
            json["normalizer"] = NSNull()
            json["pre_tokenizer"] = Self.digitsThenGPT2.contains(pre)
                ? ["type": "Sequence", "pretokenizers": [["type": "Digits", "individual_digits": true], byteLevel]] as [String: Any]
                : byteLevel
            json["decoder"] = byteLevel
            json["model"] = bpe(vocabulary, merges: merges, unknown: nil, byteFallback: false)
        } else {
            json["normalizer"] = ["type": "Sequence", "normalizers": [
                ["type": "Prepend", "prepend": "▁"], ["type": "Replace", "pattern": ["String": " "], "content": "▁"]]] as [String: Any]
            json["pre_tokenizer"] = NSNull()
            json["decoder"] = ["type": "Sequence", "decoders": [
                ["type": "Replace", "pattern": ["String": "▁"], "content": " "], ["type": "ByteFallback"], ["type": "Fuse"],
                ["type": "Strip", "content": " ", "start": 1, "stop": 0]]] as [String: Any]
            let unknownToken = token("tokenizer.ggml.unknown_token_id") ?? tokens[0]
            json["model"] = bpe(vocabulary, merges: sentencePieceMerges(vocabulary), unknown: unknownToken, byteFallback: true)
        }
        json["post_processor"] = NSNull()
        if addsBOS, let bos = token("tokenizer.ggml.bos_token_id"), let id = vocabulary[bos] {
            json["post_processor"] = [
                "type": "TemplateProcessing",
                "single": [["SpecialToken": ["id": bos, "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
                "pair": [["SpecialToken": ["id": bos, "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]],
                         ["SpecialToken": ["id": bos, "type_id": 1]], ["Sequence": ["id": "B", "type_id": 1]]],
                "special_tokens": [bos: ["id": bos, "ids": [id], "tokens": [bos]]],
            ] as [String: Any]
        }
        return json
    }

    func bpe(_ vocabulary: [String: Int], merges: [String], unknown: String?, byteFallback: Bool) -> [String: Any] {
        ["type": "BPE", "dropout": NSNull(), "unk_token": unknown as Any? ?? NSNull(), "continuing_subword_prefix": NSNull(),
         "end_of_word_suffix": NSNull(), "fuse_unk": byteFallback, "byte_fallback": byteFallback, "ignore_merges": false,
         "vocab": vocabulary, "merges": merges]
    }

    /// Every split of a piece into two vocabulary pieces, ranked by the merged piece's score
    /// (highest first; ties by the merged piece's id, then the parts' ids).
    func sentencePieceMerges(_ vocabulary: [String: Int]) -> [String] {
        var found: [(score: Float, piece: Int, left: Int, right: Int)] = []
        for (id, piece) in tokens.enumerated() {
            // Code points, as SentencePiece and the Python reference split them (not grapheme clusters).
            let scalars = Array(piece.unicodeScalars)
            guard scalars.count > 1 else { continue }
            func text(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
            for k in 1..<scalars.count {
                if let left = vocabulary[text(scalars[..<k])], let right = vocabulary[text(scalars[k...])] {
                    found.append((scores[id], id, left, right))
                }
            }
        }
        found.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.piece != b.piece { return a.piece < b.piece }
            return (a.left, a.right) < (b.left, b.right)
        }
        return found.map { "\(tokens[$0.left]) \(tokens[$0.right])" }
    }

    func tokenizerConfig(contextLength: Int) -> [String: Any] {
        var config: [String: Any] = [
            "tokenizer_class": "PreTrainedTokenizerFast", "add_bos_token": addsBOS,
            "add_eos_token": metadata["tokenizer.ggml.add_eos_token"]?.boolValue ?? false,
            "clean_up_tokenization_spaces": false, "model_max_length": contextLength,
        ]
        for (key, metadataKey) in [("bos_token", "tokenizer.ggml.bos_token_id"), ("eos_token", "tokenizer.ggml.eos_token_id"),
                                   ("unk_token", "tokenizer.ggml.unknown_token_id"), ("pad_token", "tokenizer.ggml.padding_token_id")] {
            if let text = token(metadataKey) { config[key] = text }
        }
        if let template = metadata["tokenizer.chat_template"]?.stringValue { config["chat_template"] = template }
        return config
    }
}
