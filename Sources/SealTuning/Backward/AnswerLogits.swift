import Foundation
import SealModel
import SealTensor
import SealTokenizer

/// Final norm, LM head and cross-entropy on the answer rows only, with their gradient.
///
/// Vocabulary logits exist only for the rows that predict answer tokens, a few rows
/// at a time (`chunkRows × vocabulary` floats), never for the whole prompt.
final class AnswerLogits {
    static let chunkRows = 16
    let shape: TrainingShape
    private let normalized: FloatBuffer   // [chunk, d]
    private let logits: FloatBuffer       // [chunk, vocab], then d loss / d logits
    private let normalizedGradient: FloatBuffer // [chunk, d]

    init(shape: TrainingShape) {
        self.shape = shape
        normalized = FloatBuffer(count: Self.chunkRows * shape.model)
        logits = FloatBuffer(count: Self.chunkRows * shape.vocabulary)
        normalizedGradient = FloatBuffer(count: Self.chunkRows * shape.model)
    }

    var byteCount: Int { normalized.byteCount + logits.byteCount + normalizedGradient.byteCount }

    /// Mean cross-entropy of predicting `targets[r]` from final residual row `r`, for `r` in
    /// `answerRows`; writes d loss / d residual into `gradient` for those rows (other rows untouched).
    func lossAndGradient(final residual: UnsafePointer<Float>, targets: [TokenID], answerRows: Range<Int>,
                         weights: ModelWeights, gradient: UnsafeMutablePointer<Float>) -> Double {
        let d = shape.model
        let vocabulary = shape.vocabulary
        let weight = 1 / Float(answerRows.count)
        var total = 0.0
        var first = answerRows.lowerBound
        while first < answerRows.upperBound {
            let count = min(Self.chunkRows, answerRows.upperBound - first)
            Kernels.rmsNorm(residual + first * d, weight: weights.outputNorm.pointer, epsilon: shape.epsilon,
                            rows: count, dimension: d, out: normalized.pointer)
            BLAS.linear(normalized.pointer, rows: count, inputs: d, weight: weights.lmHead,
                        outputs: vocabulary, bias: nil, into: logits.pointer)
            for r in 0..<count {
                let row = logits.pointer + r * vocabulary
                let target = Int(targets[first + r])
                let targetLogit = row[target]
                let maximum = Kernels.maximum(row, count: vocabulary)
                // Summed in double: tens of thousands of fp32 additions of small terms to a large
                // total round down systematically (measured: -1e-5 relative on the loss).
                var sum = 0.0
                for i in 0..<vocabulary {
                    let e = expf(row[i] - maximum)
                    row[i] = e
                    sum += Double(e)
                }
                // row now holds exp(logit - max): loss = log Σ + max - logit_target.
                total += Foundation.log(sum) + Double(maximum) - Double(targetLogit)
                Kernels.scale(row, by: weight / Float(sum), count: vocabulary)
                row[target] -= weight
            }
            BackwardKernels.linearBackward(logits.pointer, rows: count, outputs: vocabulary, weight: weights.lmHead,
                                           inputs: d, accumulate: false, into: normalizedGradient.pointer)
            (gradient + first * d).update(repeating: 0, count: count * d)
            BackwardKernels.rmsNormBackward(residual + first * d, weight: weights.outputNorm.pointer,
                                            epsilon: shape.epsilon, rows: count, dimension: d,
                                            outputGradient: normalizedGradient.pointer, into: gradient + first * d)
            first += count
        }
        return total / Double(answerRows.count)
    }
}
