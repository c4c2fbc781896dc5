import SealTensor

/// A loaded decoder: configuration, fp32 weights and the SEAL scales in force.
///
/// Immutable and shareable across concurrent sessions. Applying scales returns
/// a new model that shares every weight except the (possibly folded) o_proj.
public final class TransformerModel: Sendable {
    public let configuration: ModelConfiguration
    public let weights: ModelWeights
    /// Where the weights came from, for status and errors.
    public let source: String
    /// The scales in force, if any, and how they are applied.
    public let scales: HeadScales?
    public let scalingMode: ScalingMode?
    /// Per-layer o_proj actually used: the file's, or a copy with scales folded in.
    let effectiveOutputProjections: [FloatBuffer]
    /// Per-layer live multipliers (only in `.live` mode).
    let liveScales: [FloatBuffer]?

    public init(configuration: ModelConfiguration, weights: ModelWeights, source: String) {
        self.configuration = configuration
        self.weights = weights
        self.source = source
        self.scales = nil
        self.scalingMode = nil
        self.effectiveOutputProjections = weights.layers.map(\.output)
        self.liveScales = nil
    }

    private init(base: TransformerModel, scales: HeadScales, mode: ScalingMode,
                 outputs: [FloatBuffer], live: [FloatBuffer]?) {
        configuration = base.configuration
        weights = base.weights
        source = base.source
        self.scales = scales
        scalingMode = mode
        effectiveOutputProjections = outputs
        liveScales = live
    }

    /// The RoPE facts of this model, for position-encoding providers.
    public var ropeParameters: RoPEParameters {
        RoPEParameters(theta: configuration.ropeTheta, rotaryDimensions: configuration.ropeDimensionCount,
                       headDimension: configuration.headDimension,
                       trainedContextLength: configuration.trainedContextLength)
    }

    /// This model with SEAL scales applied (replacing any scales already applied).
    ///
    /// In `.folded` mode o_proj's input column `k` is multiplied by `scale[k]`:
    /// `W_o · (s ⊙ a) = (W_o · diag(s)) · a`, exact up to rounding.
    public func applying(_ scales: HeadScales, mode: ScalingMode) throws(SealModelError) -> TransformerModel {
        try scales.validate(for: configuration)
        let d = configuration.modelDimension
        let q = configuration.queryDimension
        switch mode {
        case .live:
            return TransformerModel(base: self, scales: scales, mode: mode,
                                    outputs: weights.layers.map(\.output),
                                    live: scales.layers.map { FloatBuffer($0) })
        case .folded:
            let folded = weights.layers.enumerated().map { index, layer -> FloatBuffer in
                let copy = FloatBuffer(count: d * q)
                copy.pointer.update(from: layer.output.pointer, count: d * q)
                scales.fold(layer: index, into: UnsafeMutableBufferPointer(start: copy.pointer, count: d * q), rows: d)
                return copy
            }
            return TransformerModel(base: self, scales: scales, mode: mode, outputs: folded, live: nil)
        }
    }

    /// This model without scales.
    public func withoutScales() -> TransformerModel {
        TransformerModel(configuration: configuration, weights: weights, source: source)
    }
}
