import SealModel

/// Why a generation could not run.
public struct GenerationError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case invalidParameter(String, String)
        case model(String)
        case emptyPrompt
        case noChatTemplate
        /// A logit was NaN or infinite: the model's weights (or a plugin's scales) are corrupt.
        case nonFiniteLogit(token: Int, value: Float)
    }

    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    init(_ error: SealModelError) { kind = .model(error.description) }

    public var description: String {
        switch kind {
        case .invalidParameter(let field, let reason): "invalid '\(field)': \(reason)"
        case .model(let message): message
        case .emptyPrompt: "the prompt is empty; give at least one token of text"
        case .nonFiniteLogit(let token, let value):
            "the model produced a non-finite logit (\(value) for token \(token)); its weights or scales hold NaN or infinite values — check the model file (it is likely corrupt)"
        case .noChatTemplate: "the model declares no chat template this build recognises; pass a template name (chatml, llama2, mistral, vicuna, llama3, zephyr)"
        }
    }
}
