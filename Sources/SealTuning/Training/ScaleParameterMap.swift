import SealModel
import SealPlugins

/// The bridge between a scaling strategy's parameter vector and the per-channel
/// multipliers the transformer applies.
///
/// A strategy plugin describes its parameters once, as a ``ScalingLayout``: where training
/// starts, which parameter multiplies each (layer, head, channel) of the attention output
/// (or -1 for a fixed 1.0), and an optional penalty. The optimiser only ever sees the
/// parameter vector, so head-wise (SEAL-H), channel-wise (SEAL-C) and third-party schemes
/// train the same way: forward through ``headScales(_:)``, backward through
/// ``parameterGradient(_:)`` (the chain rule: a parameter's gradient is the sum of the
/// gradients of the channels it multiplies).
public struct ScaleParameterMap: Sendable {
    public let strategy: String
    public let layerCount: Int
    public let headCount: Int
    public let headDimension: Int
    public let parameterCount: Int
    /// Where training starts, one per parameter.
    public let initialValues: [Double]
    /// The strategy's own penalty, added to the loss (see ``penalty(_:)``).
    public let regularisation: ScalingRegularisation?
    /// `map[layer][head * headDimension + channel]`: parameter index or -1.
    private let map: [[Int32]]

    /// Checks the layout against the model (shapes, index ranges, finiteness): layouts
    /// come from plugins, which are third-party code.
    public init(layout: ScalingLayout, configuration: ModelConfiguration) throws(SealTuningError) {
        func refuse(_ reason: String) -> SealTuningError {
            SealTuningError(.invalidLayout(strategy: layout.strategy, reason: reason))
        }
        guard layout.layerCount == configuration.layerCount, layout.headCount == configuration.headCount,
              layout.headDimension == configuration.headDimension else {
            throw refuse("it is for \(layout.layerCount) layers x \(layout.headCount) heads x \(layout.headDimension) channels, the model has \(configuration.layerCount) x \(configuration.headCount) x \(configuration.headDimension)")
        }
        let width = layout.headCount * layout.headDimension
        guard layout.map.count == layout.layerCount * width else {
            throw refuse("its map has \(layout.map.count) entries, expected \(layout.layerCount * width)")
        }
        guard layout.parameterCount >= 1, layout.initialValues.count == layout.parameterCount else {
            throw refuse("it has \(layout.parameterCount) parameters and \(layout.initialValues.count) initial values; at least one parameter is needed")
        }
        if let bad = layout.initialValues.firstIndex(where: { !$0.isFinite }) {
            throw refuse("initial value \(bad) is not finite")
        }
        if let bad = layout.map.firstIndex(where: { $0 < -1 || Int($0) >= layout.parameterCount }) {
            throw refuse("map entry \(bad) is \(layout.map[bad]), outside -1..<\(layout.parameterCount)")
        }
        if let penalty = layout.regularisation, !(penalty.weight.isFinite && penalty.weight >= 0 && penalty.target.isFinite) {
            throw refuse("its regularisation weight \(penalty.weight) and target \(penalty.target) must be finite, the weight non-negative")
        }
        strategy = layout.strategy
        layerCount = layout.layerCount
        headCount = layout.headCount
        headDimension = layout.headDimension
        parameterCount = layout.parameterCount
        initialValues = layout.initialValues.map(Double.init)
        regularisation = layout.regularisation
        map = (0..<layout.layerCount).map { Array(layout.map[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// Channels per layer (query heads x head dimension).
    public var layerWidth: Int { headCount * headDimension }

    /// The parameter multiplying channel `channel` of head `head` in layer `layer`, or nil when fixed at 1.
    public func parameter(layer: Int, head: Int, channel: Int) -> Int? {
        let index = map[layer][head * headDimension + channel]
        return index < 0 ? nil : Int(index)
    }

    /// The multipliers the transformer applies for a parameter vector.
    public func headScales(_ parameters: [Double]) throws(SealTuningError) -> HeadScales {
        guard parameters.count == parameterCount else {
            throw SealTuningError(.invalidLayout(strategy: strategy, reason: "\(parameters.count) values given for \(parameterCount) parameters"))
        }
        if let bad = parameters.firstIndex(where: { !$0.isFinite }) {
            throw SealTuningError(.diverged(step: nil, reason: "parameter \(bad) is \(parameters[bad])"))
        }
        return HeadScales(layers: map.map { row in row.map { $0 < 0 ? 1 : Float(parameters[Int($0)]) } })
    }

    /// d loss / d parameter from d loss / d channel scale: the sum over the channels each
    /// parameter multiplies (channels fixed at 1 contribute nothing).
    public func parameterGradient(_ perChannel: [[Float]]) throws(SealTuningError) -> [Double] {
        guard perChannel.count == layerCount, perChannel.allSatisfy({ $0.count == layerWidth }) else {
            throw SealTuningError(.invalidGradient(reason: "expected \(layerCount) layers of \(layerWidth) channel gradients, got \(perChannel.map(\.count))"))
        }
        var gradient = [Double](repeating: 0, count: parameterCount)
        for (row, channels) in zip(map, perChannel) {
            for (index, value) in zip(row, channels) where index >= 0 {
                gradient[Int(index)] += Double(value)
            }
        }
        if let bad = gradient.firstIndex(where: { !$0.isFinite }) {
            throw SealTuningError(.invalidGradient(reason: "the gradient of parameter \(bad) is not finite"))
        }
        return gradient
    }

    /// A penalty `weight * Σ (p - target)²` (L2) or `weight * Σ |p - target|` (L1) and its
    /// gradient; zero without one.
    public static func penalty(_ regularisation: ScalingRegularisation?, _ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        guard let regularisation, regularisation.weight > 0 else {
            return (0, [Double](repeating: 0, count: parameters.count))
        }
        let w = regularisation.weight, target = regularisation.target
        switch regularisation.kind {
        case .l2:
            return (w * parameters.reduce(0) { $0 + ($1 - target) * ($1 - target) },
                    parameters.map { 2 * w * ($0 - target) })
        case .l1:
            return (w * parameters.reduce(0) { $0 + abs($1 - target) },
                    parameters.map { $0 > target ? w : $0 < target ? -w : 0 })
        }
    }
}
