import Foundation
import SealModel

/// The answer loss of a sample without its gradient (validation, finite differences).
public protocol AnswerLossComputing {
    func loss(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> Double
}

/// Answer loss by a plain forward pass with the scales applied live: mean cross-entropy
/// (natural log) of each answer token given everything before it.
public struct ForwardAnswerLoss: AnswerLossComputing, Sendable {
    public let model: TransformerModel
    public let positionEncoding: any PositionEncoding

    public init(model: TransformerModel, positionEncoding: any PositionEncoding = StandardRoPE()) {
        self.model = model
        self.positionEncoding = positionEncoding
    }

    public func loss(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> Double {
        try Self.check(sample)
        let answerCount = sample.tokens.count - sample.answerStart
        do {
            let scaled = try model.applying(scales, mode: .live)
            let session = try InferenceSession(model: scaled, capacity: sample.tokens.count, positionEncoding: positionEncoding,
                                               maximumOutputRows: min(answerCount, 64))
            let rows = try session.evaluate(sample.tokens, logitsAt: Array((sample.answerStart - 1)..<(sample.tokens.count - 1)))
            var total = 0.0
            for (offset, logits) in rows.enumerated() {
                total += Self.crossEntropy(logits, target: Int(sample.tokens[sample.answerStart + offset]))
            }
            return total / Double(answerCount)
        } catch {
            throw SealTuningError(.model(error.description))
        }
    }

    /// `logsumexp(logits) - logits[target]`, in double precision.
    public static func crossEntropy(_ logits: [Float], target: Int) -> Double {
        let peak = Double(logits.max() ?? 0)
        var sum = 0.0
        for value in logits { sum += exp(Double(value) - peak) }
        return peak + log(sum) - Double(logits[target])
    }

    static func check(_ sample: TuningSample) throws(SealTuningError) {
        guard sample.answerStart >= 1, sample.answerStart < sample.tokens.count else {
            throw SealTuningError(.invalidSample(reason: "the answer starts at \(sample.answerStart) in \(sample.tokens.count) tokens; it needs at least one prompt and one answer token"))
        }
    }
}
