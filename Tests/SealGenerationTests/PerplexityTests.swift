import Foundation
import SealGeneration
import SealModel
import SealTestSupport
import Testing

/// Perplexity against the numpy reference (`Tools/reference/make_perplexity_fixtures.py`:
/// float64 forward, HF tokenizer, llama.cpp's chunking and scoring).
///
/// Tolerance: 3e-3 nats on the running mean NLL and a relative 3e-3 on PPL (exp of it).
/// The parity fixtures bound each fp32 logit within 1.4e-3 of float64, so one token's
/// `lse - logit[target]` moves at most 2.8e-3. Scoring one position off, skipping the BOS
/// rule or scoring the whole chunk instead of its second half moves the mean by tenths.
@Suite("Perplexity (slow: real model)", .serialized)
struct PerplexityTests {
    struct Fixture: Decodable {
        struct Running: Decodable {
            var chunks: Int
            var scored_tokens: Int
            var mean_nll: Double
            var perplexity: Double
            var standard_error: Double
        }
        var context: Int
        var text: String
        var tokens: [Int32]
        var running: [Running]
    }

    static func fixture() throws -> Fixture {
        let url = PackagePaths.root.appendingPathComponent("Tests/Fixtures/perplexity/smollm2.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test("SmolLM2 perplexity equals the float64 reference, chunk by chunk")
    func matchesTheReference() throws {
        let model = try #require(GenerationTests.model, "default model missing: run scripts/fetch-models.sh")
        let fixture = try Self.fixture()
        let tokens = model.tokenizer.encode(fixture.text, addSpecialTokens: true, parseSpecialTokens: false)
        #expect(tokens == fixture.tokens, "tokenization differs from the HF tokenizer's")
        var run = try PerplexityRun(model: model, tokens: fixture.tokens,
                                    configuration: .init(context: fixture.context, maximumChunks: fixture.running.count))
        #expect(run.chunkCount == fixture.running.count)
        for reference in fixture.running {
            let estimate = try run.scoreNextChunk()
            #expect(estimate.chunks == reference.chunks)
            #expect(estimate.scoredTokens == reference.scored_tokens)
            #expect(abs(estimate.meanNegativeLogLikelihood - reference.mean_nll) <= 3e-3,
                    "chunk \(reference.chunks): mean NLL \(estimate.meanNegativeLogLikelihood) vs \(reference.mean_nll)")
            #expect(abs(estimate.perplexity / reference.perplexity - 1) <= 3e-3)
            let error = try #require(estimate.standardError)
            #expect(abs(error / reference.standard_error - 1) <= 1e-2)
        }
        #expect(run.isFinished)
    }
}

/// The run's own bounds, on the tiny model file.
@Suite("Perplexity bounds (tiny model)")
struct PerplexityBoundsTests {
    @Test func contextOutsideTheWindowOrTooSmallIsRefused() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let tokens = [Int32](repeating: 72, count: 200)
        for context in [0, 8, 65, Int.max] {
            #expect(throws: GenerationError.self) {
                _ = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: context))
            }
        }
        #expect(throws: GenerationError.self) {
            _ = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 32, maximumChunks: 0))
        }
    }

    @Test func aTextShorterThanOneChunkIsRefusedAndPartialChunksAreDropped() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        #expect(throws: GenerationError.self) {
            _ = try PerplexityRun(model: model, tokens: [Int32](repeating: 72, count: 31), configuration: .init(context: 32))
        }
        var run = try PerplexityRun(model: model, tokens: [Int32](repeating: 72, count: 100), configuration: .init(context: 32))
        #expect(run.chunkCount == 3)
        while !run.isFinished { _ = try run.scoreNextChunk() }
        // 32/2 = 16 context tokens, then positions 16...30 scored: 15 per chunk.
        #expect(run.estimate.scoredTokens == 45)
        #expect(run.estimate.perplexity.isFinite && run.estimate.perplexity >= 1)
    }

    /// A daemon job checkpoints the tally after each chunk: a run restored from it ends with the
    /// same estimate as one that never stopped, and a tally of another text or context is refused.
    @Test func aRestoredTallyContinuesToTheSameEstimate() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let tokens = (0..<200).map { Int32(3 + ($0 * 37) % 250) }
        var whole = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 32))
        while !whole.isFinished { _ = try whole.scoreNextChunk() }
        var first = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 32))
        _ = try first.scoreNextChunk()
        _ = try first.scoreNextChunk()
        var resumed = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 32))
        try resumed.restore(first.tally)
        #expect(resumed.estimate.chunks == 2)
        while !resumed.isFinished { _ = try resumed.scoreNextChunk() }
        #expect(resumed.estimate == whole.estimate)
        var other = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 16))
        #expect(throws: GenerationError.self) { try other.restore(first.tally) }
    }

    /// Plain frequencies divided by `divisor` (position interpolation), reaching `reach` positions.
    struct Interpolated: PositionEncoding {
        var divisor: Double
        var reach: Int
        var name: String { "interpolated /\(divisor)" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies.map { $0 / divisor })
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int { reach }
    }

    /// An extension's reach, not the trained window, bounds the context, and the chunks are
    /// scored under the extension's positions (a run that ignored them would score the same).
    @Test func anExtensionSetsTheReachAndThePositions() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let tokens = (0..<300).map { Int32(3 + ($0 * 37) % 250) }
        #expect(throws: GenerationError.self) {
            _ = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 128))
        }
        var long = try PerplexityRun(model: model, tokens: tokens,
                                     configuration: .init(context: 128, positionEncoding: Interpolated(divisor: 2, reach: 128)))
        while !long.isFinished { _ = try long.scoreNextChunk() }
        #expect(long.estimate.chunks == 2 && long.estimate.perplexity.isFinite)
        var plain = try PerplexityRun(model: model, tokens: tokens, configuration: .init(context: 32))
        var interpolated = try PerplexityRun(model: model, tokens: tokens,
                                             configuration: .init(context: 32, positionEncoding: Interpolated(divisor: 2, reach: 64)))
        while !plain.isFinished { _ = try plain.scoreNextChunk() }
        while !interpolated.isFinished { _ = try interpolated.scoreNextChunk() }
        #expect(plain.estimate.perplexity != interpolated.estimate.perplexity)
        #expect(throws: GenerationError.self) {
            _ = try PerplexityRun(model: model, tokens: tokens,
                                  configuration: .init(context: 128, positionEncoding: Interpolated(divisor: 2, reach: 64)))
        }
    }
}
