import Foundation
import SealAPI
@testable import sealctl
import Testing

/// `scales show`: per-head statistics, extremes, and refusal of inconsistent stored sets.
@Suite("Scale-set summary")
struct ScaleSetSummaryTests {
    static func content(_ scales: [[Double]], heads: Int, width: Int) -> ScaleSetContent {
        ScaleSetContent(strategy: "test", parameters: [:], model: "m", layers: scales.count, heads: heads,
                        headDimension: width, values: scales.flatMap { $0 }, scales: scales)
    }

    @Test func headWiseSetsReportTheHeadValue() throws {
        let summary = try ScaleSetSummary(Self.content([[1, 1, 0.5, 0.5, 1.2, 1.2], [0.9, 0.9, 1, 1, 1.4, 1.4]], heads: 3, width: 2))
        #expect(summary.isHeadWise)
        let (largest, smallest) = summary.extremes(2)
        #expect(largest.map { [$0.layer, $0.head] } == [[1, 2], [0, 2]])
        #expect(smallest.map { [$0.layer, $0.head] } == [[0, 1], [1, 0]])
        #expect(largest[0].mean == 1.4)
    }

    @Test func channelWiseSetsReportMeanAndRange() throws {
        let summary = try ScaleSetSummary(Self.content([[0.5, 1.5, 1, 1]], heads: 2, width: 2))
        #expect(!summary.isHeadWise)
        let head = summary.perHead[0][0]
        #expect(head.mean == 1 && head.low == 0.5 && head.high == 1.5)
        let map = summary.heatmap(title: "t")
        #expect(map.values == [[1, 1]])
        #expect(map.colorMap == .diverging(center: 1))
        #expect(try map.rendered().contains("channel mean"))
    }

    @Test func inconsistentSetsAreRefused() {
        #expect(throws: SealctlError.self) { try ScaleSetSummary(Self.content([[1, 1, 1]], heads: 2, width: 2)) }
        var bad = Self.content([[1, 1]], heads: 1, width: 2)
        bad.layers = 2
        #expect(throws: SealctlError.self) { try ScaleSetSummary(bad) }
        bad = Self.content([[1, 1]], heads: 1, width: 2)
        bad.heads = -1
        #expect(throws: SealctlError.self) { try ScaleSetSummary(bad) }
    }
}
