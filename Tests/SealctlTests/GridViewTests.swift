import Foundation
import SealAPI
@testable import sealctl
import Testing

/// Grid reports: the table, the accuracy heatmap (one cell per grid point, a legend) and the
/// difference of two grids.
@Suite("Grid reports: tables and heatmaps")
struct GridViewTests {
    /// Parsed with the heatmap suite's parser (it records malformed XML as a failure).
    static func parse(_ svg: String) throws -> SVGHeatmapTests.Collector { try SVGHeatmapTests().parse(svg) }

    /// 3 depths × 2 lengths × 2 samples; `correct(cell, sample)` says which answers were right.
    static func report(_ correct: (Int, Int) -> Bool) -> GridReportContent {
        let parameters = GridJobParameters(task: "lines", lengths: [1000, 4000], depths: [0, 50, 100], samplesPerCell: 2)
        var results: [GridReportContent.Result] = []
        for cell in 0..<6 {
            for sample in 0..<2 {
                let ok = correct(cell, sample)
                results.append(.init(cell: cell, index: cell * 2 + sample, promptTokens: cell % 2 == 0 ? 1000 : 4000,
                                     answer: "42", output: ok ? "42" : "7", score: ok ? 1 : 0, correct: ok,
                                     reason: nil, run: 1))
            }
        }
        return GridReportContent(task: "lines", taskVersion: "1.0.0", parameters: parameters, plan: nil, results: results)
    }

    /// Right everywhere at 1000 tokens; at 4000 only the first sample of each cell.
    static let baseline = report { cell, sample in cell % 2 == 0 || sample == 0 }
    static let tuned = report { _, _ in true }

    @Test func cellsAreAggregatedRowMajorWithWilsonIntervals() {
        let report = Self.baseline
        #expect(report.cells.count == 6)
        #expect(report.cell(row: 1, column: 0)?.result == Accuracy(correct: 2, total: 2))
        #expect(report.cell(row: 2, column: 1)?.result.accuracy == 0.5)
        #expect(report.cell(row: 2, column: 1)?.depth == 100 && report.cell(row: 2, column: 1)?.length == 4000)
        #expect(report.total.correct == 9 && report.total.total == 12)
    }

    @Test func theTableHasOneRowPerDepthAndOneColumnPerLength() {
        let table = GridView.table(Self.baseline)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("DEPTH \\ TOKENS") && lines[0].contains("1K") && lines[0].contains("4K"))
        #expect(lines[1].hasPrefix("0%") && lines[1].contains("100.0% (2/2)") && lines[1].contains("50.0% (1/2)"))
        #expect(lines[3].hasPrefix("100%"))
        #expect(table.contains("total 75.0% (9/12), 95% interval 46.8%-91.1%"))
    }

    @Test func theHeatmapIsWellFormedWithOneCellPerGridPointAndALegend() throws {
        let document = try Self.parse(try GridView.heatmap(Self.baseline).rendered())
        let cells = document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }
        #expect(cells.count == 6)
        #expect(document.elements.filter { $0.name == "text" && $0.attributes["class"] == "value" }.count == 6)
        #expect(document.elements.contains { $0.name == "g" && $0.attributes["class"] == "legend" })
        for label in ["answer depth", "context length (tokens)", "0%", "50%", "100%", "1K", "4K", "lines accuracy"] {
            #expect(document.text.contains(label), "\(label)")
        }
        // Full and half accuracy get different colours.
        #expect(Set(cells.compactMap { $0.attributes["fill"] }).count == 2)
    }

    @Test func theDifferenceIsSecondMinusFirstOnTheSameAxes() throws {
        let difference = try GridView.Difference(Self.baseline, Self.tuned)
        #expect(difference.values == [[0, 0.5], [0, 0.5], [0, 0.5]])
        #expect(difference.table().contains("total 75.0% -> 100.0% (+25.0 points)"))
        let document = try Self.parse(try difference.heatmap.rendered())
        #expect(document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }.count == 6)
        #expect(document.text.contains("+50") && document.text.contains("+0"))
        #expect(String(decoding: try APIJSON.encode(difference.jsonValues), as: UTF8.self) == "[[0,0.5],[0,0.5],[0,0.5]]")
        // A cell without samples has no difference: null in JSON, where nan cannot be encoded.
        let sparse = GridReportContent(task: "lines", taskVersion: "1.0.0", parameters: Self.tuned.parameters, plan: nil,
                                       results: Self.tuned.results.filter { $0.cell != 5 })
        let gap = try GridView.Difference(Self.baseline, sparse)
        #expect(gap.values[2][1].isNaN)
        #expect(String(decoding: try APIJSON.encode(gap.jsonValues), as: UTF8.self) == "[[0,0.5],[0,0.5],[0,null]]")
        var other = Self.tuned
        other.parameters.lengths = [1000, 8000]
        #expect(throws: SealctlError.self) { try GridView.Difference(Self.baseline, other) }
    }

    /// Wilson 95% intervals against values computed by hand (z = 1.96).
    @Test func wilsonIntervals() {
        let cases: [(Int, Int, Double, Double)] = [(0, 10, 0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1),
                                                  (9, 12, 0.4677, 0.9111)]
        for (correct, total, low, high) in cases {
            let accuracy = Accuracy(correct: correct, total: total)
            #expect(abs(accuracy.low - low) < 5e-4 && abs(accuracy.high - high) < 5e-4, "\(correct)/\(total): \(accuracy)")
        }
        #expect(Accuracy(correct: 0, total: 0).low == 0 && Accuracy(correct: 0, total: 0).high == 1)
    }
}
