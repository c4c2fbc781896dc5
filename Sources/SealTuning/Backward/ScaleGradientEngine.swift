import Foundation
import SealModel
import SealTensor
import SealTokenizer

/// Reverse-mode gradients of the answer loss with respect to every head-output channel scale.
///
/// The model stays frozen: the engine computes activation gradients only, never a weight
/// gradient. Memory stays linear in the sample length: the forward pass keeps each layer's
/// residual input, attention outputs and attention log-sum-exps; the backward pass recomputes
/// one layer's projections at a time from them (never the attention itself) and runs
/// attention backward chunk by chunk (no `[heads, n, n]` matrix).
/// Positions follow the same ``PositionEncodingPlan`` as inference, Self-Extend bands included.
///
/// The `scales` given to ``lossAndGradient(for:scales:)`` replace any scales applied to the
/// model; they multiply the head outputs before o_proj exactly like `.live` scaling.
///
/// Not `Sendable`: one engine serves one tuning job at a time and reuses its buffers.
public final class ScaleGradientEngine: ScaleGradientComputing {
    public let model: TransformerModel
    /// The model's fp32 weights: gradients are taken on the reference path only.
    let weights: ModelWeights
    public let plan: PositionEncodingPlan
    /// The longest sample (prompt + answer) accepted.
    public let capacity: Int
    let shape: TrainingShape
    private let workers: Int
    private var buffers: TrainingBuffers?
    private var tables: RotaryTables?
    private var scratches: [AttentionScratch] = []
    private let answerLogits: AnswerLogits

    /// An engine that places positions as an ``InferenceSession`` with the same encoding and capacity.
    ///
    /// - Parameter capacity: longest sample; defaults to (and may not exceed) what the encoding addresses.
    public convenience init(model: TransformerModel, positionEncoding: any PositionEncoding = StandardRoPE(),
                            capacity: Int? = nil) throws(SealTuningError) {
        let rope = model.ropeParameters
        let window = positionEncoding.effectiveContextLength(for: rope)
        let capacity = capacity ?? window
        guard capacity >= 2 else { throw SealTuningError(.invalidSample(reason: "capacity \(capacity) is below 2 tokens")) }
        guard capacity <= window else { throw SealTuningError(.sampleTooLong(tokens: capacity, limit: window)) }
        let plan: PositionEncodingPlan
        do { plan = try positionEncoding.plan(for: rope, sequenceLength: capacity) } catch {
            throw SealTuningError(.model(error.description))
        }
        try self.init(model: model, plan: plan, capacity: capacity)
    }

    /// An engine for an explicit plan (validated against the model).
    public init(model: TransformerModel, plan: PositionEncodingPlan, capacity: Int) throws(SealTuningError) {
        do { try plan.validate(for: model.ropeParameters) } catch { throw SealTuningError(.model(error.description)) }
        guard capacity >= 2, capacity <= 1 << 20 else {
            throw SealTuningError(.invalidSample(reason: "capacity \(capacity) is outside 2...\(1 << 20)"))
        }
        guard let weights = model.weights.float32 else {
            throw SealTuningError(.model(
                "SEAL tuning needs fp32 weights, and this model was loaded with \(model.weights.storage.rawValue) weights; "
                    + "load it with f32 weights (seal-run --weights f32, or model.weights: f32 in seald.yaml) to tune"))
        }
        self.weights = weights
        self.model = model
        self.plan = plan
        self.capacity = capacity
        shape = TrainingShape(configuration: model.configuration, plan: plan)
        // As seald's sessions: attention tiles spread over the one thread setting (OpenBLAS
        // itself is single-threaded, so the two levels never contend).
        workers = BLAS.threadCount
        answerLogits = AnswerLogits(shape: shape)
    }

    /// Bytes of activation and gradient memory currently held (weights excluded).
    public var byteCount: Int {
        (buffers?.byteCount ?? 0) + scratches.reduce(0) { $0 + $1.byteCount } + answerLogits.byteCount
    }

    public func lossAndGradient(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> ScaleGradient {
        try validate(sample)
        do { try scales.validate(for: model.configuration) } catch {
            throw SealTuningError(.invalidScales(reason: error.description))
        }
        // The last token is only ever a target: rows 0..<count-1 predict tokens 1..<count.
        let rows = sample.tokens.count - 1
        let pass = prepare(rows: rows, scales: scales)
        let s = shape
        let w = weights
        let x = pass.buffers.residual(0, model: s.model)
        for (r, token) in sample.tokens.prefix(rows).enumerated() {
            (x + r * s.model).update(from: w.tokenEmbedding.pointer + Int(token) * s.model, count: s.model)
        }
        for l in 0..<s.layers { pass.forward(layer: l) }

        let gradient = pass.buffers.gradient.pointer
        gradient.update(repeating: 0, count: rows * s.model)
        let loss = answerLogits.lossAndGradient(final: pass.buffers.residual(s.layers, model: s.model),
                                              targets: Array(sample.tokens.dropFirst()),
                                              answerRows: (sample.answerStart - 1)..<rows,
                                              weights: w, gradient: gradient)
        let perChannel = FloatBuffer(count: s.layers * s.query)
        // The top layer's activations are still in the buffers from the forward pass.
        for l in stride(from: s.layers - 1, through: 0, by: -1) {
            pass.backward(layer: l, scaleGradient: perChannel.pointer + l * s.query, recompute: l < s.layers - 1)
        }
        let result = (0..<s.layers).map { l in Array(UnsafeBufferPointer(start: perChannel.pointer + l * s.query, count: s.query)) }
        guard loss.isFinite, result.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw SealTuningError(.nonFinite("the loss (\(loss)) or its gradient is not finite; the scales may be too large"))
        }
        return ScaleGradient(loss: loss, answerTokenCount: rows - sample.answerStart + 1, perChannel: result)
    }

    private func validate(_ sample: TuningSample) throws(SealTuningError) {
        let count = sample.tokens.count
        guard count >= 2 else { throw SealTuningError(.invalidSample(reason: "\(count) tokens; a prompt and an answer are needed")) }
        guard sample.answerStart >= 1, sample.answerStart < count else {
            throw SealTuningError(.invalidSample(reason: "answer start \(sample.answerStart) is outside 1..<\(count)"))
        }
        guard count <= capacity else { throw SealTuningError(.sampleTooLong(tokens: count, limit: capacity)) }
        let vocabulary = model.configuration.vocabularySize
        if let bad = sample.tokens.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
            throw SealTuningError(.invalidSample(reason: "token \(bad) is outside the vocabulary 0..<\(vocabulary)"))
        }
    }

    /// Buffers for `rows` tokens and this step's layer pass. The buffers are reused while samples
    /// keep the same length and reallocated (the old ones freed first) when it changes: their
    /// strides and rotary tables depend on the exact length.
    private func prepare(rows: Int, scales: HeadScales) -> LayerPass {
        let tileTokens = 64
        if buffers?.rows != rows {
            buffers = nil
            scratches = []
            buffers = TrainingBuffers(shape: shape, rows: rows)
            tables = RotaryTables(shape: shape, rows: rows, plan: plan, configuration: model.configuration)
            scratches = (0..<workers).map { _ in AttentionScratch(shape: shape, tileTokens: tileTokens, sequenceRows: rows) }
        }
        guard let buffers, let tables else { preconditionFailure("buffers were just prepared") }
        let geometry = AttentionGeometry(shape: shape, bands: plan.bands, rows: rows, tileTokens: tileTokens,
                                         queries: buffers.rotatedQueries.pointer, keys: buffers.rotatedKeys.pointer,
                                         values: buffers.stackedValues.pointer)
        return LayerPass(shape: shape, weights: weights, buffers: buffers, tables: tables,
                         attention: FlashAttention(geometry: geometry, scratches: scratches),
                         scales: scales.layers.map { FloatBuffer($0) })
    }
}
