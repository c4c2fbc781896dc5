import Foundation
import SealAPI

/// A scale set seen per (layer, head): the head's multiplier for head-wise sets, the mean and
/// range of its channels for channel-wise ones. What `scales show` prints and draws.
struct ScaleSetSummary {
    struct Head: Equatable {
        var layer: Int
        var head: Int
        var mean: Double
        var low: Double
        var high: Double
        /// Whether all channels share one value (head-wise scaling).
        var isUniform: Bool { low == high }
    }

    let layers: Int
    let heads: Int
    let headDimension: Int
    /// `perHead[layer][head]`.
    let perHead: [[Head]]

    /// Checks the stored shape before indexing: a scale set is a file someone could have edited.
    init(_ content: ScaleSetContent) throws(SealctlError) {
        let layers = content.layers, heads = content.heads, width = content.headDimension
        guard layers > 0, heads > 0, width > 0, layers <= 1_000, heads <= 1_000, width <= 100_000 else {
            throw SealctlError.usage("scale set has an implausible shape: \(layers) layers × \(heads) heads × \(width)")
        }
        guard content.scales.count == layers else {
            throw SealctlError.usage("scale set lists \(content.scales.count) layers of multipliers for \(layers) layers")
        }
        if let bad = content.scales.firstIndex(where: { $0.count != heads * width }) {
            throw SealctlError.usage("scale set layer \(bad) has \(content.scales[bad].count) multipliers, expected \(heads) × \(width)")
        }
        self.layers = layers
        self.heads = heads
        headDimension = width
        perHead = content.scales.enumerated().map { layer, row in
            (0..<heads).map { head in
                let channels = row[(head * width)..<((head + 1) * width)]
                let mean = channels.reduce(0, +) / Double(width)
                return Head(layer: layer, head: head, mean: mean, low: channels.min() ?? mean, high: channels.max() ?? mean)
            }
        }
    }

    /// Whether every head has one value over its channels.
    var isHeadWise: Bool { perHead.allSatisfy { $0.allSatisfy(\.isUniform) } }

    /// The `count` heads with the largest and the smallest mean multiplier, ties in layer order.
    func extremes(_ count: Int) -> (largest: [Head], smallest: [Head]) {
        let all = perHead.joined()
        let largest = all.sorted { $0.mean > $1.mean }.prefix(count)
        let smallest = all.sorted { $0.mean < $1.mean }.prefix(count)
        return (Array(largest), Array(smallest))
    }

    /// Layer × head heatmap of the per-head (mean) multiplier, white at 1.
    func heatmap(title: String) -> SVGHeatmap {
        SVGHeatmap(
            title: title,
            rowLabels: (0..<layers).map(String.init), columnLabels: (0..<heads).map(String.init),
            values: perHead.map { $0.map(\.mean) }, colorMap: .diverging(center: 1),
            rowAxisTitle: "layer", columnAxisTitle: isHeadWise ? "head" : "head (channel mean)", legendTitle: "scale",
            showsValues: heads <= 24, valueFormat: "%.3f")
    }
}
