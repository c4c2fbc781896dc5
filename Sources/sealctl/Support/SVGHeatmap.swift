import Foundation

/// A rows × columns grid of numbers drawn as a standalone SVG heatmap: a title, row and column
/// labels, one coloured cell per value (optionally with the number printed in it) and a colour
/// legend. Used for scale sets (layer × head, centred at 1) and accuracy grids (task × length,
/// differences centred at 0), so it knows nothing about either.
///
/// Missing values are `nan`: drawn hatched grey and left out of the colour range.
struct SVGHeatmap {
    /// How values map to colours.
    enum ColorMap: Equatable {
        /// Low to high on one hue ramp (dark blue → green → yellow), for values with no natural centre.
        case sequential
        /// Blue below `center`, white at it, red above, symmetric around it, for "change from"
        /// values such as scales (centre 1) or accuracy differences (centre 0).
        case diverging(center: Double)
    }

    var title: String
    var rowLabels: [String]
    var columnLabels: [String]
    /// `values[row][column]`; every row has `columnLabels.count` entries.
    var values: [[Double]]
    var colorMap: ColorMap = .sequential
    /// Axis captions, e.g. "layer" and "head".
    var rowAxisTitle: String = ""
    var columnAxisTitle: String = ""
    /// Caption above the colour legend, e.g. "multiplier" or "accuracy".
    var legendTitle: String = ""
    /// Print each value inside its cell (for small grids).
    var showsValues: Bool = false
    /// `String(format:)` pattern for printed values and legend ticks.
    var valueFormat: String = "%.3g"
    /// Fixed colour range; `nil` takes it from the finite values (widened to be symmetric for
    /// a diverging map).
    var range: ClosedRange<Double>?

    /// Largest grid drawn; beyond it the file would be too big to look at.
    static let maximumCells = 250_000

    /// The SVG document, or an error naming what is inconsistent.
    func rendered() throws(SealctlError) -> String {
        guard !rowLabels.isEmpty, !columnLabels.isEmpty else { throw SealctlError.usage("heatmap: no rows or no columns to draw") }
        guard values.count == rowLabels.count else {
            throw SealctlError.usage("heatmap: \(values.count) rows of values for \(rowLabels.count) row labels")
        }
        if let bad = values.firstIndex(where: { $0.count != columnLabels.count }) {
            throw SealctlError.usage("heatmap: row \(bad) has \(values[bad].count) values for \(columnLabels.count) columns")
        }
        guard rowLabels.count * columnLabels.count <= Self.maximumCells else {
            throw SealctlError.usage("heatmap: \(rowLabels.count) × \(columnLabels.count) cells is more than \(Self.maximumCells)")
        }
        return HeatmapLayout(self).document()
    }

    /// Writes the SVG to `path`.
    func write(to path: String) throws(SealctlError) {
        try SVGText.write(try rendered(), to: path)
    }

    /// The colour range actually used: `range`, or the data's, never empty.
    var effectiveRange: ClosedRange<Double> {
        if let range { return range }
        let finite = values.joined().filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        switch colorMap {
        case .sequential:
            return low < high ? low...high : (low - 0.5)...(high + 0.5)
        case .diverging(let center):
            let reach = max(abs(high - center), abs(center - low))
            let spread = reach > 0 ? reach : 1e-3 * max(1, abs(center))
            return (center - spread)...(center + spread)
        }
    }

    /// The colour of a value as `#rrggbb`; nan is grey.
    func color(of value: Double) -> String {
        guard value.isFinite else { return "#d0d0d0" }
        return HeatmapColors.hex(HeatmapColors.rgb(value, map: colorMap, range: effectiveRange))
    }
}

/// Colour ramps. Anchors are given in sRGB and blended linearly: enough for a legible map without
/// shipping a colour library.
enum HeatmapColors {
    typealias RGB = (r: Double, g: Double, b: Double)

    static let sequentialAnchors: [RGB] = [
        (0.267, 0.005, 0.329), (0.230, 0.322, 0.546), (0.128, 0.567, 0.551), (0.369, 0.789, 0.383), (0.993, 0.906, 0.144),
    ]
    static let divergingAnchors: [RGB] = [
        (0.020, 0.188, 0.380), (0.263, 0.576, 0.765), (0.969, 0.969, 0.969), (0.839, 0.376, 0.302), (0.404, 0.000, 0.122),
    ]

    /// Position of `value` in `range` as 0...1 (clamped), then blended along the map's anchors.
    static func rgb(_ value: Double, map: SVGHeatmap.ColorMap, range: ClosedRange<Double>) -> RGB {
        let width = range.upperBound - range.lowerBound
        let t = width > 0 ? min(1, max(0, (value - range.lowerBound) / width)) : 0.5
        return blend(map == .sequential ? sequentialAnchors : divergingAnchors, at: t)
    }

    static func blend(_ anchors: [RGB], at t: Double) -> RGB {
        let scaled = t * Double(anchors.count - 1)
        let index = min(anchors.count - 2, Int(scaled))
        let f = scaled - Double(index)
        let a = anchors[index], b = anchors[index + 1]
        return (a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f)
    }

    static func hex(_ c: RGB) -> String {
        func byte(_ x: Double) -> Int { Int((min(1, max(0, x)) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b))
    }

    /// Black or white, whichever reads better on `c` (relative luminance).
    static func textColor(on c: RGB) -> String {
        0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b > 0.5 ? "#000000" : "#ffffff"
    }
}
