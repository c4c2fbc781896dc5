import SealModel
import SealTokenizer

/// One tuning sample as the gradient engine sees it: a prompt followed by its answer.
///
/// Only the answer tokens are scored, so the model learns to retrieve, not to repeat
/// the prompt. Token `t` (for `t >= answerStart`) is predicted from the logits at `t - 1`.
public struct TuningSample: Sendable, Equatable {
    /// Prompt tokens followed by answer tokens.
    public var tokens: [TokenID]
    /// Index of the first answer token; at least 1 and below `tokens.count`.
    public var answerStart: Int

    public init(tokens: [TokenID], answerStart: Int) {
        self.tokens = tokens
        self.answerStart = answerStart
    }
}

/// The answer loss of a sample and its gradient with respect to every attention-output channel scale.
public struct ScaleGradient: Sendable {
    /// Mean cross-entropy (natural log) over the answer tokens.
    public var loss: Double
    /// How many tokens the loss averages over.
    public var answerTokenCount: Int
    /// d loss / d scale, laid out as `HeadScales.layers`: `[layer][head * headDimension + channel]`.
    public var perChannel: [[Float]]

    public init(loss: Double, answerTokenCount: Int, perChannel: [[Float]]) {
        self.loss = loss
        self.answerTokenCount = answerTokenCount
        self.perChannel = perChannel
    }
}

/// Computes the answer loss and its gradient with respect to per-channel head scales.
///
/// The optimiser is written against this protocol so that it does not depend on how the
/// backward pass is computed (the reverse-mode engine in production, finite differences in tests).
public protocol ScaleGradientComputing {
    func lossAndGradient(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> ScaleGradient
}
