/// The single error type of `SealTokenizer`.
///
/// A tokenizer that silently tokenizes differently from the model's training
/// tokenizer produces a model that "works" but answers worse, which is hard to
/// notice. So every unsupported or inconsistent configuration is refused with
/// an error that names the offending key, component or index.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, with the context needed to fix it.
    public enum Kind: Sendable, Equatable {
        /// A required metadata key (GGUF) or JSON field is absent.
        case missingKey(String)
        /// A key is present but holds the wrong type of value.
        case wrongValueType(key: String, expected: String)
        /// Two per-token arrays (tokens, scores, token types) disagree in length.
        case mismatchedArrayLengths(key: String, expected: Int, actual: Int)
        /// `tokenizer.ggml.model` or the tokenizer.json model type is not supported.
        case unknownModelType(String)
        /// `tokenizer.ggml.pre` names a pre-tokenizer this module does not implement.
        case unknownPreTokenizer(String)
        /// A merge rule is not "left right" or names tokens missing from the vocabulary.
        case malformedMerge(index: Int, merge: String)
        /// A special-token id (bos, eos, ...) is outside the vocabulary.
        case tokenIDOutOfRange(key: String, id: Int, vocabularySize: Int)
        /// The vocabulary is empty.
        case emptyVocabulary
        /// A tokenizer.json (or tokenizer_config.json) could not be read or parsed.
        case invalidTokenizerJSON(path: String, reason: String)
        /// A normalizer, pre-tokenizer, decoder or option this module does not support.
        case unsupportedComponent(name: String, detail: String)
    }

    /// What went wrong.
    public var kind: Kind

    /// Wraps a kind; tests compare errors by kind.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// A one-line message naming the offending key, component or index.
    public var description: String {
        switch kind {
        case .missingKey(let key):
            return "tokenizer: missing required key '\(key)'"
        case .wrongValueType(let key, let expected):
            return "tokenizer: key '\(key)' does not hold \(expected)"
        case .mismatchedArrayLengths(let key, let expected, let actual):
            return "tokenizer: '\(key)' has \(actual) entries but the vocabulary has \(expected)"
        case .unknownModelType(let name):
            return "tokenizer: unsupported tokenizer model type '\(name)' (supported: gpt2, llama, BPE)"
        case .unknownPreTokenizer(let name):
            return "tokenizer: unsupported pre-tokenizer '\(name)' (tokenizer.ggml.pre); "
                + "supported: \(PreTokenizerPipeline.supportedGGUFNames.joined(separator: ", "))"
        case .malformedMerge(let index, let merge):
            return "tokenizer: malformed merge at index \(index): '\(merge)'"
        case .tokenIDOutOfRange(let key, let id, let size):
            return "tokenizer: '\(key)' = \(id) is outside the vocabulary of \(size) tokens"
        case .emptyVocabulary:
            return "tokenizer: the vocabulary is empty"
        case .invalidTokenizerJSON(let path, let reason):
            return "tokenizer: invalid tokenizer JSON at \(path): \(reason)"
        case .unsupportedComponent(let name, let detail):
            return "tokenizer: unsupported component '\(name)': \(detail)"
        }
    }
}
