import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import sealctl
import Testing

/// The heatmap writer: well-formed SVG, one cell per value, a legend, colours that follow the map.
@Suite("SVG heatmap")
struct SVGHeatmapTests {
    /// Element names and attributes of a parsed document, in order.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ svg: String) throws -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        #expect(ok, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        return collector
    }

    static let grid = SVGHeatmap(
        title: "scales <layer × head> & more", rowLabels: ["0", "1", "2"], columnLabels: ["h0", "h1", "h2", "h3"],
        values: [[0.5, 1, 1.5, 1], [1, 1, 1, .nan], [2, 0.9, 1.1, 1]],
        colorMap: .diverging(center: 1), rowAxisTitle: "layer", columnAxisTitle: "head", legendTitle: "scale", showsValues: true)

    @Test func wellFormedWithOneCellPerValueAndALegend() throws {
        let doc = try parse(try Self.grid.rendered())
        #expect(doc.elements.first?.name == "svg")
        #expect(doc.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        let cells = doc.elements.filter { $0.name == "rect" && $0.attributes["class"] == "cell" }
        #expect(cells.count == 12)
        #expect(cells.filter { $0.attributes["fill"] == "url(#missing)" }.count == 1)
        #expect(doc.elements.contains { $0.name == "g" && $0.attributes["class"] == "legend" })
        #expect(doc.elements.contains { $0.name == "linearGradient" && $0.attributes["id"] == "legend-gradient" })
        #expect(doc.elements.filter { $0.name == "text" && $0.attributes["class"] == "value" }.count == 12)
        #expect(doc.text.contains("scales <layer × head> & more"), "title escaped and restored by the parser")
        for label in ["h0", "h3", "layer", "head", "scale"] { #expect(doc.text.contains(label)) }
    }

    @Test func divergingMapIsWhiteAtTheCentreAndSymmetric() throws {
        let map = Self.grid
        #expect(map.effectiveRange == 0...2, "widened to be symmetric around 1")
        #expect(map.color(of: 1) == "#f7f7f7")
        let low = map.color(of: 0), high = map.color(of: 2)
        #expect(low != high)
        #expect(low.hasPrefix("#05"), "blue end: \(low)")
        #expect(high.hasPrefix("#67"), "red end: \(high)")
        #expect(map.color(of: .nan) == "#d0d0d0")
    }

    @Test func sequentialMapSpansTheData() throws {
        let map = SVGHeatmap(title: "accuracy", rowLabels: ["a", "b"], columnLabels: ["1K", "2K"],
                             values: [[0.25, 0.5], [0.75, 1]])
        #expect(map.effectiveRange == 0.25...1)
        #expect(map.color(of: 0.25) != map.color(of: 1))
        let doc = try parse(try map.rendered())
        #expect(doc.elements.filter { $0.attributes["class"] == "cell" }.count == 4)
        #expect(!doc.elements.contains { $0.attributes["class"] == "value" }, "numbers only when asked")
    }

    @Test func constantGridStillHasARange() throws {
        let map = SVGHeatmap(title: "flat", rowLabels: ["r"], columnLabels: ["c"], values: [[1]], colorMap: .diverging(center: 1))
        #expect(map.effectiveRange.upperBound > map.effectiveRange.lowerBound)
        _ = try parse(try map.rendered())
    }

    @Test func inconsistentShapesAreRefused() {
        var map = Self.grid
        map.values[1] = [1, 2]
        #expect(throws: SealctlError.self) { try map.rendered() }
        map = Self.grid
        map.rowLabels = []
        #expect(throws: SealctlError.self) { try map.rendered() }
    }
}

extension SVGHeatmapTests {
    /// An accuracy-difference grid (task × length, centred at 0) with labels longer than a cell.
    static let accuracyGrid = SVGHeatmap(
        title: "SEAL-H minus base accuracy", rowLabels: ["lines", "passkey", "needle-in-a-haystack"],
        columnLabels: ["1,000 tokens", "2,000 tokens", "4,000 tokens", "8,000 tokens"],
        values: [[0.1, 0.25, -0.05, .nan], [0, 0.02, 0.3, 0.5], [-0.2, -0.1, 0, 0.15]],
        colorMap: .diverging(center: 0), rowAxisTitle: "task", columnAxisTitle: "prompt length",
        legendTitle: "Δ accuracy", showsValues: true, valueFormat: "%+.2f")

    @Test func longColumnLabelsAreRotatedAndStayInside() throws {
        let svg = try Self.accuracyGrid.rendered()
        let doc = try parse(svg)
        #expect(doc.elements.contains { $0.name == "text" && ($0.attributes["transform"] ?? "").hasPrefix("rotate(-60") })
        let root = try #require(doc.elements.first)
        let width = try #require(Double(root.attributes["width"] ?? ""))
        let xs = doc.elements.compactMap { $0.attributes["x"].flatMap(Double.init) }
        #expect(xs.allSatisfy { $0 >= 0 && $0 <= width }, "every element starts inside the picture")
        #expect(Self.accuracyGrid.effectiveRange == -0.5...0.5)
        if let dump = ProcessInfo.processInfo.environment["SEAL_HEATMAP_SAMPLE"] { try Self.accuracyGrid.write(to: dump) }
    }
}
