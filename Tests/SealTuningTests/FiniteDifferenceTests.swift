import Foundation
import SealModel
import Testing
@testable import SealTuning

/// The engine's gradients (fp32, reverse mode) against central finite differences of an
/// independent float64 forward pass (``Float64Reference``) on small random models.
///
/// Step h = 1e-4 in float64: truncation error ~h²·|f'''| ≈ 1e-8 and rounding ~1e-16/h ≈ 1e-12,
/// so the differences are exact to ~1e-8 relative. The engine runs in fp32 (rounding ~6e-8 per
/// operation, accumulated over a few hundred operations per path), so its gradients are
/// expected within ~1e-6 of the largest component (measured 3e-7 to 1.4e-6); the tolerance is 2e-5 of the largest
/// component. Dropping any term of the backward pass moves the gradient by far more.
@Suite("Scale gradients against float64 finite differences")
struct FiniteDifferenceTests {
    static let tolerance = 2e-5
    static let step = 1e-4

    struct Case: CustomStringConvertible, Sendable {
        let model: String
        let selfExtend: Bool
        var description: String { "\(model)\(selfExtend ? " + Self-Extend G=3 W=5" : "")" }
    }

    static let cases: [Case] = ["tiny-llama", "tiny-mistral", "tiny-qwen2"].flatMap { model in
        [Case(model: model, selfExtend: false), Case(model: model, selfExtend: true)]
    }

    @Test("channel-wise and head-wise gradients match finite differences", arguments: cases)
    func matchesFiniteDifferences(_ testCase: Case) throws {
        let model = try GradientCheck.tinyModel(testCase.model)
        let c = model.configuration
        let plan = GradientCheck.plan(for: model, selfExtend: testCase.selfExtend ? (3, 5) : nil)
        let sample = GradientCheck.sample(vocabulary: c.vocabularySize, count: 21, answerStart: 14, seed: 7)
        let scales = GradientCheck.scales(for: c, seed: 11)
        let engine = try ScaleGradientEngine(model: model, plan: plan, capacity: 64)
        let result = try engine.lossAndGradient(for: sample, scales: scales)

        let reference = Float64Reference(model: model, plan: plan)
        let base = scales.layers.map { $0.map(Double.init) }
        func loss(_ s: [[Double]]) -> Double {
            reference.loss(tokens: sample.tokens, answerStart: sample.answerStart, scales: s)
        }
        let exactLoss = loss(base)
        #expect(abs(result.loss - exactLoss) < 1e-5 * exactLoss, "loss \(result.loss) vs float64 \(exactLoss)")
        #expect(result.answerTokenCount == 7)

        // Channel-wise: every channel of every layer.
        var numeric: [Double] = []
        var analytic: [Double] = []
        for l in 0..<c.layerCount {
            for channel in 0..<c.queryDimension {
                var plus = base, minus = base
                plus[l][channel] += Self.step
                minus[l][channel] -= Self.step
                numeric.append((loss(plus) - loss(minus)) / (2 * Self.step))
                analytic.append(Double(result.perChannel[l][channel]))
            }
        }
        let channelError = GradientCheck.relativeError(analytic, numeric)
        #expect(channelError < Self.tolerance, "\(testCase) channel-wise relative error \(channelError)")
        #expect((numeric.map(abs).max() ?? 0) > 1e-3, "gradients too small to be a meaningful check")

        // Head-wise: one scalar per head moves all its channels; its derivative is the channel sum.
        var headNumeric: [Double] = []
        var headAnalytic: [Double] = []
        let hd = c.headDimension
        for l in 0..<c.layerCount {
            for h in 0..<c.headCount {
                var plus = base, minus = base
                for channel in h * hd..<(h + 1) * hd {
                    plus[l][channel] += Self.step
                    minus[l][channel] -= Self.step
                }
                headNumeric.append((loss(plus) - loss(minus)) / (2 * Self.step))
                headAnalytic.append(result.perChannel[l][h * hd..<(h + 1) * hd].reduce(0) { $0 + Double($1) })
            }
        }
        let headError = GradientCheck.relativeError(headAnalytic, headNumeric)
        #expect(headError < Self.tolerance, "\(testCase) head-wise relative error \(headError)")
        print("[gradient check] \(testCase): loss \(result.loss), channel rel. error \(channelError), head rel. error \(headError)")
    }
}
