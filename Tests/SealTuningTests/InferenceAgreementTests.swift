import Foundation
import SealModel
import SealTokenizer
import SealTestSupport
import Testing
@testable import SealTuning

/// A position encoding that hands out a fixed plan, to run inference under the engine's plan.
struct FixedPlanEncoding: PositionEncoding {
    let plan: PositionEncodingPlan
    let reach: Int
    var name: String { "fixed" }
    func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan { plan }
    func effectiveContextLength(for rope: RoPEParameters) -> Int { reach }
}

/// The engine's loss equals the cross-entropy of the inference path's logits (live scales),
/// so the engine differentiates the function the model actually computes.
enum InferenceLoss {
    static func loss(model: TransformerModel, plan: PositionEncodingPlan, sample: TuningSample,
                     scales: HeadScales) throws -> Double {
        let encoding = FixedPlanEncoding(plan: plan, reach: sample.tokens.count)
        return try ForwardAnswerLoss(model: model, positionEncoding: encoding).loss(for: sample, scales: scales)
    }
}

@Suite("Engine loss against the inference path")
struct InferenceAgreementTests {
    @Test("tiny models, plain RoPE and Self-Extend", arguments: ["tiny-llama", "tiny-qwen2"], [false, true])
    func engineLossIsInferenceLoss(name: String, selfExtend: Bool) throws {
        let model = try GradientCheck.tinyModel(name)
        let plan = GradientCheck.plan(for: model, selfExtend: selfExtend ? (3, 5) : nil)
        let sample = GradientCheck.sample(vocabulary: model.configuration.vocabularySize, count: 150, answerStart: 125, seed: 3)
        let scales = GradientCheck.scales(for: model.configuration, seed: 5)
        let engine = try ScaleGradientEngine(model: model, plan: plan, capacity: 256)
        let engineLoss = try engine.lossAndGradient(for: sample, scales: scales).loss
        let inference = try InferenceLoss.loss(model: model, plan: plan, sample: sample, scales: scales)
        #expect(abs(engineLoss - inference) < 1e-5 * inference, "engine \(engineLoss) vs inference \(inference)")
    }
}

@Suite("Engine loss against the inference path, GGUF")
struct InferenceAgreementGGUFTests {
    @Test func ggufInterleaved() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 2, dimension: 48, heads: 6, kvHeads: 2, feedForward: 32, contextLength: 256).write(to: url)
        let model = try LanguageModel.load(from: url).transformer
        let plan = GradientCheck.plan(for: model, selfExtend: nil)
        let sample = GradientCheck.sample(vocabulary: model.configuration.vocabularySize, count: 30, answerStart: 25, seed: 3)
        let scales = GradientCheck.scales(for: model.configuration, seed: 5)
        let engine = try ScaleGradientEngine(model: model, plan: plan, capacity: 256)
        let engineLoss = try engine.lossAndGradient(for: sample, scales: scales).loss
        let inference = try InferenceLoss.loss(model: model, plan: plan, sample: sample, scales: scales)
        #expect(abs(engineLoss - inference) < 1e-5 * inference, "engine \(engineLoss) vs inference \(inference)")
    }
}
