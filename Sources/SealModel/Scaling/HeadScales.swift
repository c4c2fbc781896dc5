/// SEAL's multipliers on each head's attention output, per layer.
///
/// One value per (layer, query head, channel): `layers[l][h * headDimension + c]`.
/// Head-wise scaling (SEAL-H) repeats a head's scalar over its channels, so one
/// representation serves both SEAL-H and SEAL-C.
public struct HeadScales: Sendable, Equatable, Codable {
    public var layers: [[Float]]

    public init(layers: [[Float]]) {
        self.layers = layers
    }

    /// All ones: the model unchanged.
    public static func identity(for configuration: ModelConfiguration) -> HeadScales {
        HeadScales(layers: Array(repeating: Array(repeating: 1, count: configuration.queryDimension),
                                 count: configuration.layerCount))
    }

    /// One scalar per head, repeated over the head's channels.
    public static func headWise(_ perHead: [[Float]], headDimension: Int) -> HeadScales {
        HeadScales(layers: perHead.map { heads in heads.flatMap { Array(repeating: $0, count: headDimension) } })
    }

    public func validate(for configuration: ModelConfiguration) throws(SealModelError) {
        guard layers.count == configuration.layerCount else {
            throw SealModelError(.invalidScales(reason: "\(layers.count) layers given, the model has \(configuration.layerCount)"))
        }
        for (index, layer) in layers.enumerated() {
            guard layer.count == configuration.queryDimension else {
                throw SealModelError(.invalidScales(reason: "layer \(index) has \(layer.count) values, expected heads x head dimension = \(configuration.queryDimension)"))
            }
            guard layer.allSatisfy(\.isFinite) else {
                throw SealModelError(.invalidScales(reason: "layer \(index) contains a non-finite value"))
            }
        }
    }

    /// Whether every multiplier is exactly 1.
    public var isIdentity: Bool { layers.allSatisfy { $0.allSatisfy { $0 == 1 } } }
}

/// How scales reach the computation.
public enum ScalingMode: String, Sendable, Codable {
    /// Multiply the attention output before o_proj on every forward pass;
    /// needed while the scales are being learned.
    case live
    /// Multiply o_proj's input columns once; inference then costs nothing extra.
    case folded
}
