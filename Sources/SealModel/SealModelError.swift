import SealFormats
import SealTokenizer

/// Everything that can go wrong while loading or running a model, with the
/// context a user needs to fix it.
public struct SealModelError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// No model at the given path, or the default model was not fetched.
        case modelNotFound(path: String, hint: String)
        /// The file itself is malformed (wraps the format reader's message).
        case format(String)
        /// The tokenizer description is malformed (wraps the tokenizer's message).
        case tokenizer(String)
        /// An architecture seal does not implement.
        case unsupportedArchitecture(String)
        /// A required hyper-parameter is missing or out of range.
        case invalidConfiguration(key: String, reason: String)
        /// A tensor the architecture needs is absent.
        case missingTensor(String)
        /// A tensor has a shape that contradicts the configuration.
        case shapeMismatch(tensor: String, expected: [Int], found: [Int])
        /// The embedding rows and the tokenizer disagree on the vocabulary size.
        case vocabularyMismatch(tokenizer: Int, embedding: Int)
        /// The prompt (plus what is already cached) does not fit the context window.
        case contextOverflow(requested: Int, limit: Int)
        /// A token id outside the vocabulary.
        case invalidToken(id: Int, vocabularySize: Int)
        /// Head scales whose shape does not fit the model.
        case invalidScales(reason: String)
        /// A position-encoding plan that cannot be used with this model.
        case invalidPositionEncoding(reason: String)
        /// A weight that is NaN or infinite: every logit would be NaN.
        case nonFiniteWeight(tensor: String, index: Int, value: Float)
        /// A merged export that cannot be made (unsupported source, unwritable file).
        case exportFailed(reason: String)
    }

    /// The model file or directory concerned, when there is one.
    public let source: String?
    public let kind: Kind

    /// Strings from a model file (architecture names, keys, tensor names) are bounded
    /// here, so no error carries or prints more than a few hundred characters of them.
    public init(_ kind: Kind, source: String? = nil) {
        self.kind = kind.bounded
        self.source = source?.boundedForMessage(1024)
    }

    public var description: String {
        let prefix = source.map { "\($0): " } ?? ""
        switch kind {
        case .modelNotFound(let path, let hint):
            return "no model at '\(path)'. \(hint)"
        case .format(let message), .tokenizer(let message):
            return message
        case .unsupportedArchitecture(let arch):
            return "\(prefix)architecture '\(arch)' is not supported (supported: llama, mistral, qwen2)"
        case .invalidConfiguration(let key, let reason):
            return "\(prefix)invalid model configuration '\(key)': \(reason)"
        case .missingTensor(let name):
            return "\(prefix)required tensor '\(name)' is missing; the file is incomplete or not a supported architecture"
        case .shapeMismatch(let tensor, let expected, let found):
            return "\(prefix)tensor '\(tensor)' has shape \(found) but the configuration implies \(expected)"
        case .vocabularyMismatch(let tokenizer, let embedding):
            return "\(prefix)the tokenizer has \(tokenizer) tokens but the embedding has \(embedding) rows; the tokenizer does not belong to these weights"
        case .contextOverflow(let requested, let limit):
            return "the prompt needs \(requested) positions but the context window is \(limit); shorten the prompt or enable context extension (prompts are never truncated silently)"
        case .invalidToken(let id, let vocabularySize):
            return "token id \(id) is outside the vocabulary (0..<\(vocabularySize))"
        case .invalidScales(let reason):
            return "invalid head scales: \(reason)"
        case .invalidPositionEncoding(let reason):
            return "invalid position encoding: \(reason)"
        case .nonFiniteWeight(let tensor, let index, let value):
            let spelled = value.isNaN ? "NaN" : value > 0 ? "+infinity" : "-infinity"
            return "\(prefix)tensor '\(tensor)' holds \(spelled) at element \(index); a model's weights are finite numbers, so the file is corrupt: download or convert it again"
        case .exportFailed(let reason):
            return "\(prefix)cannot export the merged model: \(reason)"
        }
    }
}

extension SealModelError {
    init(_ error: ModelFormatError) {
        self.init(.format(error.description))
    }
}

extension SealModelError.Kind {
    /// The same problem with every string shortened by `boundedForMessage`.
    var bounded: Self {
        switch self {
        case .modelNotFound(let path, let hint): .modelNotFound(path: path.boundedForMessage(1024), hint: hint)
        case .format(let message): .format(message.boundedForMessage(2048))
        case .tokenizer(let message): .tokenizer(message.boundedForMessage(2048))
        case .unsupportedArchitecture(let name): .unsupportedArchitecture(name.boundedForMessage())
        case .invalidConfiguration(let key, let reason):
            .invalidConfiguration(key: key.boundedForMessage(), reason: reason.boundedForMessage(600))
        case .missingTensor(let name): .missingTensor(name.boundedForMessage())
        case .shapeMismatch(let tensor, let expected, let found):
            .shapeMismatch(tensor: tensor.boundedForMessage(), expected: expected, found: found)
        case .invalidScales(let reason): .invalidScales(reason: reason.boundedForMessage(600))
        case .invalidPositionEncoding(let reason): .invalidPositionEncoding(reason: reason.boundedForMessage(600))
        case .exportFailed(let reason): .exportFailed(reason: reason.boundedForMessage(600))
        case .nonFiniteWeight(let tensor, let index, let value):
            .nonFiniteWeight(tensor: tensor.boundedForMessage(), index: index, value: value)
        case .vocabularyMismatch, .contextOverflow, .invalidToken: self
        }
    }
}
