/// Everything that can go wrong while computing scale gradients or training scales.
public struct SealTuningError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        // MARK: samples and model
        /// The sample cannot be scored (empty answer, answer at position 0, too long for the plan).
        case invalidSample(reason: String)
        /// The model or its state refused the computation.
        case model(String)

        // MARK: gradients
        /// Scales that do not fit the model (layer count, channels per layer, non-finite values).
        case invalidScales(reason: String)
        /// The sample has more tokens than the engine's capacity (or the position encoding's reach).
        case sampleTooLong(tokens: Int, limit: Int)
        /// The loss or a gradient overflowed or became NaN.
        case nonFinite(String)

        // MARK: training
        /// A scaling strategy's layout does not fit the model or is malformed.
        case invalidLayout(strategy: String, reason: String)
        /// A gradient has the wrong shape or non-finite values.
        case invalidGradient(reason: String)
        /// A training setting is out of range.
        case invalidTrainingSetting(key: String, reason: String)
        /// Not enough samples for the requested split.
        case notEnoughSamples(reason: String)
        /// Training produced non-finite parameters or loss.
        case diverged(step: Int?, reason: String)
        /// A saved training state does not match the run it is resumed into.
        case incompatibleState(reason: String)
    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .invalidSample(let reason): "invalid tuning sample: \(reason)"
        case .model(let message): "model error during tuning: \(message)"
        case .invalidScales(let reason): "invalid scales for tuning: \(reason)"
        case .sampleTooLong(let tokens, let limit):
            "the sample has \(tokens) tokens, more than the \(limit) this model and position encoding allow; use shorter samples or a context extension"
        case .nonFinite(let message): "numeric overflow during tuning: \(message)"
        case .invalidLayout(let strategy, let reason): "scaling strategy '\(strategy)' gave an unusable layout: \(reason)"
        case .invalidGradient(let reason): "invalid scale gradient: \(reason)"
        case .invalidTrainingSetting(let key, let reason): "training setting '\(key)': \(reason)"
        case .notEnoughSamples(let reason): "not enough tuning samples: \(reason)"
        case .diverged(let step, let reason):
            "training diverged\(step.map { " at step \($0)" } ?? ""): \(reason); lower the learning rate or enable gradient clipping"
        case .incompatibleState(let reason): "cannot resume training: \(reason)"
        }
    }
}
