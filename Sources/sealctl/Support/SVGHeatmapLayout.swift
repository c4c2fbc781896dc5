import Foundation

/// Geometry and markup of an `SVGHeatmap`: title on top, column labels above the grid, row labels
/// to its left, the legend (a vertical gradient with ticks) to its right.
struct HeatmapLayout {
    let map: SVGHeatmap
    let range: ClosedRange<Double>
    let cellWidth: Double
    let cellHeight: Double
    let rowLabelWidth: Double
    let columnLabelHeight: Double
    let rotatesColumnLabels: Bool

    static let margin = 16.0
    static let titleHeight = 28.0
    static let characterWidth = 6.6
    static let legendWidth = 16.0
    static let legendGap = 24.0
    static let legendTickWidth = 70.0

    init(_ map: SVGHeatmap) {
        self.map = map
        range = map.effectiveRange
        let longestValue = map.showsValues
            ? map.values.joined().map { Self.format($0, map.valueFormat).count }.max() ?? 0 : 0
        let longestColumn = map.columnLabels.map(\.count).max() ?? 0
        cellWidth = max(map.showsValues ? Double(longestValue) * Self.characterWidth + 8 : 18, 14)
        cellHeight = map.showsValues ? 22 : 16
        rotatesColumnLabels = Double(longestColumn) * Self.characterWidth > cellWidth
        columnLabelHeight = (rotatesColumnLabels ? Double(longestColumn) * Self.characterWidth * 0.75 : 12) + 8
            + (map.columnAxisTitle.isEmpty ? 0 : 18)
        rowLabelWidth = Double(map.rowLabels.map(\.count).max() ?? 0) * Self.characterWidth + 8
            + (map.rowAxisTitle.isEmpty ? 0 : 20)
    }

    var gridX: Double { Self.margin + rowLabelWidth }
    var gridY: Double { Self.margin + Self.titleHeight + columnLabelHeight }
    var gridWidth: Double { cellWidth * Double(map.columnLabels.count) }
    var gridHeight: Double { cellHeight * Double(map.rowLabels.count) }
    var legendX: Double { gridX + gridWidth + Self.legendGap }
    var legendHeight: Double { max(gridHeight, 120) }
    var width: Double {
        max(legendX + Self.legendWidth + Self.legendTickWidth + Self.margin,
            Self.margin * 2 + Double(map.title.count) * Self.characterWidth * 1.3)
    }
    var height: Double { gridY + max(gridHeight, legendHeight) + Self.margin }

    func document() -> String {
        var svg = SVGText.header(width: width, height: height)
        svg += "<title>\(escape(map.title))</title>\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += """
            <defs><pattern id="missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
            <rect width="6" height="6" fill="#e4e4e4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a0a0a0" stroke-width="2"/></pattern>
            \(gradient())</defs>

            """
        svg += "<text class=\"title\" x=\"\(n(Self.margin))\" y=\"\(n(Self.margin + 16))\" font-size=\"15\" font-weight=\"bold\">\(escape(map.title))</text>\n"
        svg += labels()
        svg += cells()
        svg += legend()
        svg += "</svg>\n"
        return svg
    }

    private func labels() -> String {
        var out = "<g class=\"column-labels\">\n"
        for (column, label) in map.columnLabels.enumerated() {
            let x = gridX + (Double(column) + 0.5) * cellWidth, y = gridY - 6
            if rotatesColumnLabels {
                out += "<text x=\"\(n(x))\" y=\"\(n(y))\" transform=\"rotate(-60 \(n(x)) \(n(y)))\">\(escape(label))</text>\n"
            } else {
                out += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"middle\">\(escape(label))</text>\n"
            }
        }
        if !map.columnAxisTitle.isEmpty {
            let y = Self.margin + Self.titleHeight + 10
            out += "<text class=\"axis-title\" x=\"\(n(gridX + gridWidth / 2))\" y=\"\(n(y))\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(map.columnAxisTitle))</text>\n"
        }
        out += "</g>\n<g class=\"row-labels\">\n"
        for (row, label) in map.rowLabels.enumerated() {
            let y = gridY + (Double(row) + 0.5) * cellHeight + 4
            out += "<text x=\"\(n(gridX - 5))\" y=\"\(n(y))\" text-anchor=\"end\">\(escape(label))</text>\n"
        }
        if !map.rowAxisTitle.isEmpty {
            let x = Self.margin + 8, y = gridY + gridHeight / 2
            out += "<text class=\"axis-title\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 \(n(x)) \(n(y)))\">\(escape(map.rowAxisTitle))</text>\n"
        }
        return out + "</g>\n"
    }

    private func cells() -> String {
        var out = "<g class=\"cells\" stroke=\"#ffffff\" stroke-width=\"0.5\">\n"
        for (row, values) in map.values.enumerated() {
            for (column, value) in values.enumerated() {
                let x = gridX + Double(column) * cellWidth, y = gridY + Double(row) * cellHeight
                let rgb = HeatmapColors.rgb(value, map: map.colorMap, range: range)
                let fill = value.isFinite ? HeatmapColors.hex(rgb) : "url(#missing)"
                let tip = "\(map.rowAxisTitle.isEmpty ? "" : map.rowAxisTitle + " ")\(map.rowLabels[row]), "
                    + "\(map.columnAxisTitle.isEmpty ? "" : map.columnAxisTitle + " ")\(map.columnLabels[column]): "
                    + Self.format(value, map.valueFormat)
                out += "<rect class=\"cell\" x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cellWidth))\" height=\"\(n(cellHeight))\" "
                    + "fill=\"\(fill)\"><title>\(escape(tip))</title></rect>\n"
                if map.showsValues {
                    let ink = value.isFinite ? HeatmapColors.textColor(on: rgb) : "#000000"
                    out += "<text class=\"value\" x=\"\(n(x + cellWidth / 2))\" y=\"\(n(y + cellHeight / 2 + 4))\" "
                        + "text-anchor=\"middle\" fill=\"\(ink)\" stroke=\"none\">\(escape(Self.format(value, map.valueFormat)))</text>\n"
                }
            }
        }
        return out + "</g>\n"
    }

    /// Vertical gradient, highest value on top, sampled densely enough to follow the ramp.
    private func gradient() -> String {
        var out = "<linearGradient id=\"legend-gradient\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        let steps = 16
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let value = range.lowerBound + t * (range.upperBound - range.lowerBound)
            let color = HeatmapColors.hex(HeatmapColors.rgb(value, map: map.colorMap, range: range))
            out += "<stop offset=\"\(n(t))\" stop-color=\"\(color)\"/>"
        }
        return out + "</linearGradient>"
    }

    private func legend() -> String {
        let top = gridY, bottom = gridY + legendHeight
        var out = "<g class=\"legend\">\n"
        if !map.legendTitle.isEmpty {
            out += "<text class=\"legend-title\" x=\"\(n(legendX))\" y=\"\(n(top - 8))\" font-weight=\"bold\">\(escape(map.legendTitle))</text>\n"
        }
        out += "<rect x=\"\(n(legendX))\" y=\"\(n(top))\" width=\"\(n(Self.legendWidth))\" height=\"\(n(legendHeight))\" "
            + "fill=\"url(#legend-gradient)\" stroke=\"#606060\" stroke-width=\"0.5\"/>\n"
        var ticks = (0...4).map { range.lowerBound + Double($0) / 4 * (range.upperBound - range.lowerBound) }
        if case .diverging(let center) = map.colorMap, !ticks.contains(center) { ticks.append(center) }
        for value in ticks {
            let span = range.upperBound - range.lowerBound
            let y = bottom - (span > 0 ? (value - range.lowerBound) / span : 0.5) * legendHeight
            let x = legendX + Self.legendWidth
            out += "<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + 4))\" y2=\"\(n(y))\" stroke=\"#404040\"/>"
            out += "<text class=\"tick\" x=\"\(n(x + 7))\" y=\"\(n(y + 4))\">\(escape(Self.format(value, map.valueFormat)))</text>\n"
        }
        return out + "</g>\n"
    }

    static func format(_ value: Double, _ pattern: String) -> String {
        value.isFinite ? String(format: pattern, value) : "n/a"
    }

    private func n(_ x: Double) -> String { SVGText.number(x) }

    private func escape(_ text: String) -> String { SVGText.escape(text) }
}
