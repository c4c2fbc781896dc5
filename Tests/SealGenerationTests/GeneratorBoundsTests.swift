import Foundation
import SealGeneration
import SealModel
import SealTestSupport
import Testing

/// The decode loop under hostile numbers and a corrupt model (issue 6, items 1-3
/// and the malformed-model crashes), on the tiny model file.
@Suite("Generator bounds (tiny model)")
struct GeneratorBoundsTests {
    static func tinyModel() throws -> LanguageModel {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try TinyModelFile(contextLength: 64).write(to: url)
        return try LanguageModel.load(from: url)
    }

    /// `reserveCapacity(prompt + Int.max)` trapped; now the loop ends at the window.
    @Test(arguments: [Int.max, 100_000_000_000])
    func maxTokensBeyondTheWindowEndsAtTheWindow(maxTokens: Int) throws {
        let model = try Self.tinyModel()
        let session = try InferenceSession(model: model.transformer, capacity: 16)
        let result = try Generator(model: model).generate(
            prompt: [1, 72, 105], in: session,
            options: GenerationOptions(maxTokens: maxTokens, sampling: SamplingParameters(topK: .max, seed: 1),
                                       ignoreEndOfGeneration: true))
        #expect(result.finishReason == .contextFull)
        #expect(result.promptTokenCount + result.tokens.count <= 17)
    }

    /// NaN weights made NaN logits and the sampler indexed an empty candidate list
    /// (SIGILL); now generation fails with an error naming the cause.
    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteWeightsAreAnErrorNotACrash(bad: Float) throws {
        let model = try Self.tinyModel()
        let c = model.transformer.configuration
        let head = try #require(model.transformer.weights.lmHead.float32)
        (head.pointer + 7 * c.modelDimension).update(repeating: bad, count: c.modelDimension)
        for sampling in [SamplingParameters.greedy, SamplingParameters(topK: 5, seed: 1)] {
            let session = try InferenceSession(model: model.transformer, capacity: 32)
            do {
                _ = try Generator(model: model).generate(prompt: [1, 72, 105], in: session,
                                                         options: GenerationOptions(maxTokens: 4, sampling: sampling))
                Issue.record("generation with \(bad) weights succeeded")
            } catch {
                #expect(error.description.contains("non-finite logit"), "\(error)")
                #expect(error.description.contains("token 7"), "\(error)")
            }
        }
    }
}
