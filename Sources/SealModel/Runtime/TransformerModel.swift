import SealTensor

/// A loaded decoder: configuration, weights (in the storage chosen at load) and the SEAL scales in force.
///
/// Immutable and shareable across concurrent sessions. Applying scales returns
/// a new model that shares every weight except the (possibly folded) o_proj.
public final class TransformerModel: Sendable {
    public let configuration: ModelConfiguration
    public let weights: StoredWeights
    /// Where the weights came from, for status and errors.
    public let source: String
    /// The scales in force, if any, and how they are applied.
    public let scales: HeadScales?
    public let scalingMode: ScalingMode?
    /// Per-layer o_proj actually used: the file's, or a copy with scales folded in.
    let effectiveOutputProjections: [WeightMatrix]
    /// Per-layer live multipliers (only in `.live` mode).
    let liveScales: [FloatBuffer]?

    /// A model over fp32 weights (the reference path).
    public convenience init(configuration: ModelConfiguration, weights: ModelWeights, source: String) {
        self.init(configuration: configuration,
                  weights: StoredWeights(float32: weights, configuration: configuration), source: source)
    }

    /// A model over weights in any storage.
    public init(configuration: ModelConfiguration, weights: StoredWeights, source: String) {
        self.configuration = configuration
        self.weights = weights
        self.source = source
        self.scales = nil
        self.scalingMode = nil
        self.effectiveOutputProjections = weights.layers.map(\.output)
        self.liveScales = nil
    }

    private init(base: TransformerModel, scales: HeadScales, mode: ScalingMode,
                 outputs: [WeightMatrix], live: [FloatBuffer]?) {
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
    /// `W_o · (s ⊙ a) = (W_o · diag(s)) · a`, exact up to rounding. Compact (bf16, Q8_0) weights
    /// are never folded, which would round them a second time: the scales then multiply the
    /// head outputs as in `.live`, the same map.
    public func applying(_ scales: HeadScales, mode: ScalingMode) throws(SealModelError) -> TransformerModel {
        try scales.validate(for: configuration)
        let d = configuration.modelDimension
        let q = configuration.queryDimension
        guard mode == .folded, weights.storage == .f32 else {
            return TransformerModel(base: self, scales: scales, mode: mode,
                                    outputs: weights.layers.map(\.output),
                                    live: scales.layers.map { FloatBuffer($0) })
        }
        let folded = weights.layers.enumerated().map { index, layer -> WeightMatrix in
            let copy = FloatBuffer(count: d * q, memory: .weights)
            layer.output.dequantize(rows: 0..<d, into: copy.pointer)
            scales.fold(layer: index, into: UnsafeMutableBufferPointer(start: copy.pointer, count: d * q), rows: d)
            return WeightMatrix(float32: copy, rows: d, columns: q)
        }
        return TransformerModel(base: self, scales: scales, mode: mode, outputs: folded, live: nil)
    }

    /// This model without scales.
    public func withoutScales() -> TransformerModel {
        TransformerModel(configuration: configuration, weights: weights, source: source)
    }
}
