import SealModel
import SealTensor
import Testing
@testable import SealTuning

/// SEAL gradients are taken on fp32 weights only: a model loaded with bf16 or Q8_0 storage is
/// refused when the engine is made, with the way out in the message, never a crash.
@Suite("Tuning with compact weights")
struct CompactWeightsRefusalTests {
    @Test(arguments: [WeightStorage.bf16, .q8_0])
    func engineRefusesCompactWeights(storage: WeightStorage) throws {
        let model = try LanguageModel.load(from: GradientCheck.fixture("hf/tiny-llama"), weights: storage).transformer
        #expect(model.weights.storage == storage)
        do {
            _ = try ScaleGradientEngine(model: model)
            Issue.record("the engine accepted \(storage) weights")
        } catch {
            #expect(error.description.contains("needs fp32 weights"), "\(error)")
            #expect(error.description.contains("--weights f32"), "\(error)")
        }
    }

    @Test func engineAcceptsFloat32Weights() throws {
        let model = try LanguageModel.load(from: GradientCheck.fixture("hf/tiny-llama"), weights: .f32).transformer
        _ = try ScaleGradientEngine(model: model)
    }
}
