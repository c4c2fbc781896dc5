import Foundation

/// A scatter plot of points around the origin, split into four labelled quadrants, as a
/// standalone SVG: the picture of how one quantity measured two ways agrees (head effects at a
/// short and a long context). Points are coloured by a group number (a layer) with a colour
/// legend; the points farthest from the origin carry their labels.
struct SVGQuadrantScatter {
    struct Point {
        var x: Double
        var y: Double
        var label: String
        /// Colour index in `0..<groupCount`.
        var group: Int
    }

    var title: String
    var xAxisTitle: String
    var yAxisTitle: String
    /// Caption of the colour legend, e.g. "layer".
    var legendTitle: String
    var groupCount: Int
    var points: [Point]
    /// Quadrant captions: x > 0 and y > 0, x < 0 and y > 0, x < 0 and y < 0, x > 0 and y < 0.
    var quadrants: (topRight: String, topLeft: String, bottomLeft: String, bottomRight: String)
    /// How many of the points farthest from the origin are labelled.
    var labelled: Int = 8

    static let maximumPoints = 100_000
    static let plotSize = 480.0
    static let left = 80.0, top = 56.0, bottom = 56.0, legendSpace = 120.0

    /// The SVG document, or an error naming what is wrong with the data.
    func rendered() throws(SealctlError) -> String {
        guard !points.isEmpty else { throw SealctlError.usage("scatter: no points to draw") }
        guard points.count <= Self.maximumPoints else {
            throw SealctlError.usage("scatter: \(points.count) points is more than \(Self.maximumPoints)")
        }
        guard groupCount > 0, points.allSatisfy({ (0..<groupCount).contains($0.group) }) else {
            throw SealctlError.usage("scatter: a point's group is outside 0..<\(groupCount)")
        }
        return document()
    }

    func write(to path: String) throws(SealctlError) {
        try SVGText.write(try rendered(), to: path)
    }

    /// Half-width of each axis: the largest finite |value| with a margin, never 0.
    var reach: (x: Double, y: Double) {
        func extent(_ values: [Double]) -> Double {
            let peak = values.filter(\.isFinite).map(abs).max() ?? 0
            return peak > 0 ? peak * 1.1 : 1
        }
        return (extent(points.map(\.x)), extent(points.map(\.y)))
    }

    func color(group: Int) -> String {
        let t = groupCount > 1 ? Double(group) / Double(groupCount - 1) : 0.5
        return HeatmapColors.hex(HeatmapColors.blend(HeatmapColors.sequentialAnchors, at: t))
    }

    private func document() -> String {
        let size = Self.plotSize, (rx, ry) = reach
        let width = Self.left + size + Self.legendSpace, height = Self.top + size + Self.bottom
        let n = SVGText.number, e = SVGText.escape
        func px(_ x: Double) -> Double { Self.left + (x + rx) / (2 * rx) * size }
        func py(_ y: Double) -> Double { Self.top + (ry - y) / (2 * ry) * size }
        var svg = SVGText.header(width: width, height: height)
        svg += "<title>\(e(title))</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += "<text class=\"title\" x=\"16\" y=\"28\" font-size=\"15\" font-weight=\"bold\">\(e(title))</text>\n"
        svg += "<rect class=\"plot\" x=\"\(n(Self.left))\" y=\"\(n(Self.top))\" width=\"\(n(size))\" height=\"\(n(size))\" fill=\"none\" stroke=\"#808080\"/>\n"
        // Ticks at -reach, -reach/2, 0, reach/2, reach on both axes, with faint grid lines.
        svg += "<g class=\"ticks\" fill=\"#404040\">\n"
        for step in -2...2 {
            let vx = rx * Double(step) / 2, vy = ry * Double(step) / 2
            svg += "<line x1=\"\(n(px(vx)))\" y1=\"\(n(Self.top))\" x2=\"\(n(px(vx)))\" y2=\"\(n(Self.top + size))\" stroke=\"#eeeeee\"/>"
            svg += "<text x=\"\(n(px(vx)))\" y=\"\(n(Self.top + size + 16))\" text-anchor=\"middle\">\(e(Self.tick(vx)))</text>\n"
            svg += "<line x1=\"\(n(Self.left))\" y1=\"\(n(py(vy)))\" x2=\"\(n(Self.left + size))\" y2=\"\(n(py(vy)))\" stroke=\"#eeeeee\"/>"
            svg += "<text x=\"\(n(Self.left - 6))\" y=\"\(n(py(vy) + 4))\" text-anchor=\"end\">\(e(Self.tick(vy)))</text>\n"
        }
        svg += "</g>\n"
        svg += "<g class=\"axes\" stroke=\"#202020\" stroke-width=\"1.2\">"
        svg += "<line x1=\"\(n(px(0)))\" y1=\"\(n(Self.top))\" x2=\"\(n(px(0)))\" y2=\"\(n(Self.top + size))\"/>"
        svg += "<line x1=\"\(n(Self.left))\" y1=\"\(n(py(0)))\" x2=\"\(n(Self.left + size))\" y2=\"\(n(py(0)))\"/></g>\n"
        svg += "<text class=\"axis-title\" x=\"\(n(Self.left + size / 2))\" y=\"\(n(height - 14))\" text-anchor=\"middle\" font-weight=\"bold\">\(e(xAxisTitle))</text>\n"
        let yx = 18.0, yy = Self.top + size / 2
        svg += "<text class=\"axis-title\" x=\"\(n(yx))\" y=\"\(n(yy))\" text-anchor=\"middle\" font-weight=\"bold\" transform=\"rotate(-90 \(n(yx)) \(n(yy)))\">\(e(yAxisTitle))</text>\n"
        svg += quadrantLabels(size: size)
        svg += "<g class=\"points\" stroke=\"#202020\" stroke-width=\"0.6\">\n"
        for point in points where point.x.isFinite && point.y.isFinite {
            let tip = "\(point.label): " + String(format: "%+.4g, %+.4g", point.x, point.y)
            svg += "<circle class=\"point\" cx=\"\(n(px(point.x)))\" cy=\"\(n(py(point.y)))\" r=\"4\" fill=\"\(color(group: point.group))\" fill-opacity=\"0.85\"><title>\(e(tip))</title></circle>\n"
        }
        svg += "</g>\n<g class=\"point-labels\" font-size=\"10\">\n"
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        let far = finite.sorted { ($0.x / rx) * ($0.x / rx) + ($0.y / ry) * ($0.y / ry) > ($1.x / rx) * ($1.x / rx) + ($1.y / ry) * ($1.y / ry) }
        // Labels go left of points right of the axis and vice versa; one that would overlap a
        // label already placed is left out rather than drawn illegibly.
        var taken: [(x: Double, y: Double)] = []
        var placed = 0
        for point in far where placed < max(0, labelled) {
            let anchor = point.x > 0 ? "end" : "start", dx = point.x > 0 ? -6.0 : 6.0
            let x = px(point.x) + dx, y = py(point.y) - 6
            let centre = x + (point.x > 0 ? -25 : 25)
            guard !taken.contains(where: { abs($0.x - centre) < 60 && abs($0.y - y) < 13 }) else { continue }
            taken.append((centre, y))
            placed += 1
            svg += "<text class=\"point-label\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\">\(e(point.label))</text>\n"
        }
        svg += "</g>\n" + legend(size: size) + "</svg>\n"
        return svg
    }

    private func quadrantLabels(size: Double) -> String {
        let n = SVGText.number, e = SVGText.escape
        let l = Self.left + 8, r = Self.left + size - 8, t = Self.top + 18, b = Self.top + size - 10
        let corners = [(quadrants.topRight, r, t, "end"), (quadrants.topLeft, l, t, "start"),
                       (quadrants.bottomLeft, l, b, "start"), (quadrants.bottomRight, r, b, "end")]
        var out = "<g class=\"quadrant-labels\" fill=\"#606060\" font-style=\"italic\">\n"
        for (text, x, y, anchor) in corners {
            out += "<text class=\"quadrant\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\">\(e(text))</text>\n"
        }
        return out + "</g>\n"
    }

    /// A vertical colour bar from group 0 (bottom) to the last group (top).
    private func legend(size: Double) -> String {
        let n = SVGText.number, e = SVGText.escape
        let x = Self.left + size + 32, top = Self.top, height = min(size, 240.0)
        var out = "<defs><linearGradient id=\"group-gradient\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for step in 0...16 {
            let t = Double(step) / 16
            out += "<stop offset=\"\(n(t))\" stop-color=\"\(HeatmapColors.hex(HeatmapColors.blend(HeatmapColors.sequentialAnchors, at: t)))\"/>"
        }
        out += "</linearGradient></defs>\n<g class=\"legend\">\n"
        out += "<text class=\"legend-title\" x=\"\(n(x))\" y=\"\(n(top - 8))\" font-weight=\"bold\">\(e(legendTitle))</text>\n"
        out += "<rect x=\"\(n(x))\" y=\"\(n(top))\" width=\"16\" height=\"\(n(height))\" fill=\"url(#group-gradient)\" stroke=\"#606060\" stroke-width=\"0.5\"/>\n"
        let last = max(0, groupCount - 1)
        let ticks = Array(Set([0, last / 4, last / 2, last * 3 / 4, last])).sorted()
        for group in ticks {
            let y = top + height - (last > 0 ? Double(group) / Double(last) : 0.5) * height
            out += "<line x1=\"\(n(x + 16))\" y1=\"\(n(y))\" x2=\"\(n(x + 20))\" y2=\"\(n(y))\" stroke=\"#404040\"/>"
            out += "<text class=\"tick\" x=\"\(n(x + 23))\" y=\"\(n(y + 4))\">\(group)</text>\n"
        }
        return out + "</g>\n"
    }

    static func tick(_ value: Double) -> String {
        abs(value) < 1e-12 ? "0" : String(format: "%+.3g", value)
    }
}
