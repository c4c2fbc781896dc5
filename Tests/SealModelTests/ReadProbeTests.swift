import SealModel
import SealTensor
import Testing

/// The benchmark judges decode against reads of the weights a decode step streams, so the
/// ranges it reads must be exactly those weights: every matrix once, scales included.
@Suite("Read probe over the stored weights")
struct ReadProbeTests {
    @Test("the probe's ranges are every matrix's bytes, once", arguments: [WeightStorage.f32, .bf16, .q8_0])
    func rangesCoverTheMatrices(storage: WeightStorage) throws {
        let url = try #require(TestPaths.model(TestPaths.tinycoder), "model not fetched: run scripts/fetch-models.sh")
        let transformer = try LanguageModel.load(from: url, weights: storage).transformer
        let weights = transformer.weights, c = transformer.configuration
        let matrices = weights.matrices
        // tinycoder's head is untied: the embedding, the head, seven matrices per layer.
        #expect(matrices.count == 2 + 7 * c.layerCount)
        #expect(Set(matrices.map { ObjectIdentifier($0) }).count == matrices.count)
        let ranges = matrices.flatMap(\.storedBytes)
        #expect(ranges.allSatisfy { $0.baseAddress != nil && $0.count > 0 })
        #expect(ranges.reduce(0) { $0 + $1.count } == matrices.reduce(0) { $0 + $1.byteCount })
        let norms = weights.outputNorm.byteCount + weights.layers.reduce(0) {
            $0 + $1.attentionNorm.byteCount + $1.feedForwardNorm.byteCount
                + [$1.queryBias, $1.keyBias, $1.valueBias].reduce(0) { $0 + ($1?.byteCount ?? 0) }
        }
        #expect(ranges.reduce(0) { $0 + $1.count } + norms == weights.byteCount)
        let rate = ReadProbe.gigabytesPerSecond(reading: ranges, threads: 2, repeats: 1)
        #expect(rate.isFinite && rate > 0)
    }

    @Test("a probe over nothing reads nothing")
    func emptyProbe() {
        #expect(ReadProbe.gigabytesPerSecond(reading: [], threads: 2) == 0)
    }
}
