/// Everything that can go wrong while computing scale gradients or training scales.
public struct SealTuningError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        // MARK: samples and model
        /// The sample cannot be scored (empty answer, answer at position 0, too long for the plan).
        case invalidSample(reason: String)
        /// The model or its state refused the computation.
        case model(String)

        // MARK: gradients

        // MARK: training

    }

    public var kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .invalidSample(let reason): "invalid tuning sample: \(reason)"
        case .model(let message): "model error during tuning: \(message)"
        }
    }
}
