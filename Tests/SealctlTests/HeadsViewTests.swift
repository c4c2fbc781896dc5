import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SealAPI
@testable import sealctl
import Testing

/// Head reports as text and pictures: the ranking, a layer × head heatmap with one cell per
/// head, and a quadrant scatter with one point per head, both well-formed SVG with a legend.
@Suite("Head analysis views")
struct HeadsViewTests {
    /// A 30 × 9 report whose effects are known: head (l, h) changes the short loss by
    /// (h - 4) / 100 and the long loss by (l - 15) / 50; L0.H0 is left out (never measured).
    static func report(layers: Int = 30, heads: Int = 9) -> HeadReportContent {
        let p = HeadsJobParameters(task: "lines", lengths: [500, 1500], samples: 2)
        let lengths = [HeadReportContent.LengthSummary(length: 500, meanPromptTokens: 498, loss: 0.5, accuracy: Accuracy(correct: 2, total: 2)),
                       HeadReportContent.LengthSummary(length: 1500, meanPromptTokens: 1497, loss: 1.5, accuracy: Accuracy(correct: 1, total: 2))]
        var effects: [HeadReportContent.HeadEffect] = []
        for layer in 0..<layers {
            for head in 0..<heads where !(layer == 0 && head == 0) {
                let change = [Double(head - 4) / 100, Double(layer - 15) / 50]
                effects.append(.init(layer: layer, head: head, loss: zip(change, [0.5, 1.5]).map { $0 + $1 }, lossChange: change,
                                     accuracy: [Accuracy(correct: 2, total: 2), Accuracy(correct: 0, total: 2)],
                                     accuracyChange: [0, -0.5], run: 1))
            }
        }
        return HeadReportContent(task: "lines", taskVersion: "1.0.0", parameters: p, plan: nil, layerCount: layers, headCount: heads,
                                 lengths: lengths, baseline: [], effects: effects, secondsPerHead: 3.5)
    }

    func parse(_ svg: String) throws -> SVGHeatmapTests.Collector { try SVGHeatmapTests().parse(svg) }

    @Test func theHeatmapHasOneCellPerHeadAndALegend() throws {
        let report = Self.report()
        let doc = try parse(try HeadsView.heatmap(report, length: 1).rendered())
        #expect(doc.elements.first?.name == "svg")
        let cells = doc.elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }
        #expect(cells.count == 270)
        // The unmeasured head is hatched, every measured one coloured.
        #expect(cells.filter { $0.attributes["fill"] == "url(#missing)" }.count == 1)
        #expect(doc.elements.contains { $0.name == "g" && $0.attributes["class"] == "legend" })
        #expect(doc.text.contains("Δ loss (nats)") && doc.text.contains("1500 tokens"))
        // Long length: layer 29 gains +0.28 (red), layer 1 loses 0.28 (blue).
        let map = HeadsView.heatmap(report, length: 1)
        #expect(abs(map.values[29][3] - 0.28) < 1e-12 && abs(map.values[1][3] + 0.28) < 1e-12)
        #expect(map.color(of: 0.28) != map.color(of: -0.28))
    }

    @Test func theScatterHasOnePointPerHeadFourQuadrantsAndALegend() throws {
        let report = Self.report()
        let doc = try parse(try HeadsView.scatter(report).rendered())
        let points = doc.elements.filter { $0.name == "circle" && $0.attributes["class"] == "point" }
        #expect(points.count == 269)
        let quadrants = doc.elements.filter { $0.name == "text" && $0.attributes["class"] == "quadrant" }
        #expect(quadrants.count == 4)
        #expect(doc.text.contains("helps at both lengths") && doc.text.contains("harms at both lengths"))
        #expect(doc.elements.contains { $0.name == "g" && $0.attributes["class"] == "legend" })
        // A head helping at both lengths lands top right of the origin: x right of centre, y above.
        let scatter = HeadsView.scatter(report)
        let reach = scatter.reach
        #expect(abs(reach.x - 0.044) < 1e-9 && abs(reach.y - 0.33) < 1e-9)
        let cx = points.compactMap { $0.attributes["cx"].flatMap(Double.init) }
        let cy = points.compactMap { $0.attributes["cy"].flatMap(Double.init) }
        let centre = (SVGQuadrantScatter.left + SVGQuadrantScatter.plotSize / 2, SVGQuadrantScatter.top + SVGQuadrantScatter.plotSize / 2)
        // L29.H8 (+0.04, +0.28) is the last point.
        #expect(try #require(cx.last) > centre.0 && (try #require(cy.last)) < centre.1)
    }

    @Test func rankingListsTheMostHelpfulAndTheMostHarmfulHeads() {
        let report = Self.report()
        let long = HeadsView.ranked(report, by: .long)
        #expect(long.first?.layer == 29 && long.last?.layer == 0)
        let short = HeadsView.ranked(report, by: .short)
        #expect(short.first?.head == 8 && short.last?.head == 0)
        let text = HeadsView.text(report, top: 3, by: .mean)
        #expect(text.contains("MOST HELPFUL") && text.contains("MOST HARMFUL"))
        // Mean ranking: L29.H8 (+0.16) first; the most harmful is L0.H1 (-0.165).
        let lines = text.split(separator: "\n").map(String.init)
        let helpful = try? #require(lines.firstIndex { $0.hasPrefix("MOST HELPFUL") })
        let harmful = try? #require(lines.firstIndex { $0.hasPrefix("MOST HARMFUL") })
        if let helpful, let harmful {
            #expect(lines[helpful + 2].split(separator: " ").prefix(3) == ["1", "29", "8"])
            #expect(lines[harmful + 2].split(separator: " ").prefix(3) == ["1", "0", "1"])
            #expect(lines[helpful + 2].contains("+0.0400") && lines[helpful + 2].contains("-50 pt"))
        }
    }

    @Test func aReportNamingHeadsOutsideItsShapeIsRefused() {
        var report = Self.report(layers: 2, heads: 2)
        report.effects[0].layer = 7
        #expect(throws: SealctlError.self) { try HeadsView.check(report) }
        report = Self.report(layers: 2, heads: 2)
        report.effects[0].lossChange = [0.1]
        #expect(throws: SealctlError.self) { try HeadsView.check(report) }
        #expect(throws: SealctlError.self) { try SVGQuadrantScatter(title: "", xAxisTitle: "", yAxisTitle: "", legendTitle: "", groupCount: 1,
                                                                     points: [], quadrants: ("", "", "", "")).rendered() }
    }
}
