import Testing
@testable import SealTuning

@Suite("Gradient statistics")
struct GradientStatisticsTests {
    /// Two samples, two heads of two channels, worked by hand:
    /// channels [1, 1, 2, -2] and [3, 1, 2, -4]: means [2, 1, 2, -3]; sample variances (n - 1 = 1)
    /// [2, 0, 0, 2], so t = |mean| / sqrt(var / 2) = [2, 0 (no variance), 0, 3].
    /// Heads (channel sums) [2, 0] and [4, -2]: means [3, -1], variances [2, 2], t = [3, 1].
    /// Coherence |Σ| / Σ|.| per sample and head: 2/2, 0/4, 4/4, 2/6; mean 7/12.
    @Test func matchesHandComputedValues() throws {
        let statistics = try GradientStatistics(perSample: [[1, 1, 2, -2], [3, 1, 2, -4]], headDimension: 2)
        #expect(statistics.channelMeans == [2, 1, 2, -3])
        #expect(statistics.headMeans == [3, -1])
        let expectedChannelT = [2.0, 0, 0, 3]
        let expectedHeadT = [3.0, 1]
        #expect(zip(statistics.channelT, expectedChannelT).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(statistics.headT, expectedHeadT).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(statistics.coherence - 7.0 / 12) < 1e-12)
        #expect(statistics.headMagnitude == 2)
        #expect(statistics.channelMagnitude == 2)
        #expect(GradientStatistics.summary(statistics.channelT) == "median |t| 2.00, |t| > 2: 25%, |t| > 4: 0%")
    }

    /// Channels that agree in sign make a coherent head; channels that cancel leave the head
    /// gradient a small remainder, the situation the SEAL-H diagnosis found on the real model.
    @Test func coherenceSeparatesAgreeingFromCancellingChannels() throws {
        let agreeing = try GradientStatistics(perSample: [[1, 2, 3, 4], [2, 2, 1, 1]], headDimension: 4)
        let cancelling = try GradientStatistics(perSample: [[1, -1, 2, -2], [3, -3, 1, -1]], headDimension: 4)
        #expect(agreeing.coherence == 1)
        #expect(cancelling.coherence == 0)
        #expect(cancelling.headMeans == [0])
    }

    @Test func oneSampleHasMeansButNoTStatistic() throws {
        let statistics = try GradientStatistics(perSample: [[1, -3]], headDimension: 1)
        #expect(statistics.channelMeans == [1, -3])
        #expect(statistics.channelT.isEmpty && statistics.headT.isEmpty)
    }

    @Test func refusesRowsItCannotSplitIntoHeads() {
        #expect(throws: SealTuningError.self) { try GradientStatistics(perSample: [], headDimension: 2) }
        #expect(throws: SealTuningError.self) { try GradientStatistics(perSample: [[1, 2, 3]], headDimension: 2) }
        #expect(throws: SealTuningError.self) { try GradientStatistics(perSample: [[1, 2], [1, 2, 3, 4]], headDimension: 2) }
        #expect(throws: SealTuningError.self) { try GradientStatistics(perSample: [[1, 2]], headDimension: 0) }
    }
}
