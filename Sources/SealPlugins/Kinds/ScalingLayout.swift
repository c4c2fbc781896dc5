import SealModel

/// A penalty on the learned multipliers, added to the training loss.
public struct ScalingRegularisation: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// `weight * Σ (p - target)²`
        case l2
        /// `weight * Σ |p - target|`
        case l1
    }

    public var kind: Kind
    public var target: Double
    public var weight: Double

    public init(kind: Kind, target: Double, weight: Double) {
        self.kind = kind
        self.target = target
        self.weight = weight
    }
}

/// The learned multipliers of a scaling strategy, laid out for one model shape.
///
/// `map[(l * headCount + h) * headDimension + c]` is the index of the parameter that
/// multiplies channel `c` of query head `h` in layer `l`, or -1 for a fixed 1.0. The
/// same representation covers head-wise (SEAL-H), channel-wise (SEAL-C) and any
/// partial or shared scheme, so training code needs no per-strategy logic: gradients
/// of a parameter are the sum over the channels mapped to it.
public struct ScalingLayout: Sendable, Hashable, Codable {
    /// The plugin that produced the layout.
    public var strategy: String
    public var layerCount: Int
    public var headCount: Int
    public var headDimension: Int
    public var parameterCount: Int
    /// Where training starts, one per parameter.
    public var initialValues: [Float]
    public var map: [Int32]
    public var regularisation: ScalingRegularisation?

    public init(strategy: String, layerCount: Int, headCount: Int, headDimension: Int, parameterCount: Int,
                initialValues: [Float], map: [Int32], regularisation: ScalingRegularisation?) {
        self.strategy = strategy
        self.layerCount = layerCount
        self.headCount = headCount
        self.headDimension = headDimension
        self.parameterCount = parameterCount
        self.initialValues = initialValues
        self.map = map
        self.regularisation = regularisation
    }

    /// The per-channel multipliers the transformer applies, from one value per parameter.
    ///
    /// Checks everything (shapes, indices, finiteness): values often come from files.
    public func headScales(from values: [Float], configuration: ModelConfiguration) throws(PluginError) -> HeadScales {
        func refuse(_ reason: String) -> PluginError { PluginError.invalidRequest(plugin: strategy, reason: reason) }
        guard configuration.layerCount == layerCount, configuration.headCount == headCount,
              configuration.headDimension == headDimension else {
            throw refuse("the layout is for \(layerCount) layers x \(headCount) heads x \(headDimension) channels, the model has \(configuration.layerCount) x \(configuration.headCount) x \(configuration.headDimension)")
        }
        let width = headCount * headDimension
        guard map.count == layerCount * width else {
            throw refuse("the layout's map has \(map.count) entries, expected \(layerCount * width)")
        }
        guard values.count == parameterCount else {
            throw refuse("\(values.count) values given for \(parameterCount) parameters")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw refuse("value \(bad) is not finite")
        }
        var layers: [[Float]] = []
        layers.reserveCapacity(layerCount)
        for layer in 0..<layerCount {
            var row = [Float](repeating: 1, count: width)
            for channel in 0..<width {
                let index = Int(map[layer * width + channel])
                guard index >= -1, index < values.count else {
                    throw refuse("map entry \(layer * width + channel) is \(index), outside -1..<\(values.count)")
                }
                if index >= 0 { row[channel] = values[index] }
            }
            layers.append(row)
        }
        return HeadScales(layers: layers)
    }

    /// The multipliers before training (``initialValues`` expanded).
    public func initialHeadScales(configuration: ModelConfiguration) throws(PluginError) -> HeadScales {
        try headScales(from: initialValues, configuration: configuration)
    }
}
