import SealModel
import SealTensor

/// One layer's forward computation on the whole sequence, used by the forward pass and,
/// from the saved residual, again by the backward pass (activation recomputation).
///
/// Weights are read-only; only activations and gradients are written, into `buffers`.
struct LayerPass {
    let shape: TrainingShape
    let weights: ModelWeights
    let buffers: TrainingBuffers
    let tables: RotaryTables
    let attention: FlashAttention
    /// Per-layer multipliers on the head outputs `[q]`.
    let scales: [FloatBuffer]

    var rows: Int { buffers.rows }

    func logSumExp(_ layer: Int) -> UnsafeMutablePointer<Float> {
        buffers.logSumExp.pointer + layer * rows * shape.heads
    }

    /// Norm, Q/K/V projections (with biases), rotation per band and stacking.
    func attentionInputs(layer l: Int) {
        let s = shape, b = buffers, w = weights.layers[l]
        Kernels.rmsNorm(b.residual(l, model: s.model), weight: w.attentionNorm.pointer, epsilon: s.epsilon,
                        rows: rows, dimension: s.model, out: b.normalized.pointer)
        BLAS.linear(b.normalized.pointer, rows: rows, inputs: s.model, weight: w.query, outputs: s.query,
                    bias: w.queryBias, into: b.queries.pointer)
        BLAS.linear(b.normalized.pointer, rows: rows, inputs: s.model, weight: w.key, outputs: s.keyValue,
                    bias: w.keyBias, into: b.keys.pointer)
        BLAS.linear(b.normalized.pointer, rows: rows, inputs: s.model, weight: w.value,
                    outputs: s.keyValue, bias: w.valueBias, into: b.values.pointer)
        tables.stackAndRotateQueries(b.queries.pointer, into: b.rotatedQueries.pointer)
        tables.stackAndRotateKeys(b.keys.pointer, into: b.rotatedKeys.pointer)
        GroupStacking.stack(b.values.pointer, rows: rows, groups: s.groups, width: s.headDimension,
                            into: b.stackedValues.pointer)
    }

    /// From the stacked head outputs: token-major outputs, scaling, o_proj and the residual add
    /// into `middle`; then the feed-forward norm and the gate and up projections.
    func attentionOutputsAndGates(layer l: Int) {
        let s = shape, b = buffers, w = weights.layers[l]
        GroupStacking.unstack(b.output(l, query: s.query), rows: rows, groups: s.groups,
                              width: s.perGroup * s.headDimension, into: b.attention.pointer)
        b.scaled.pointer.update(from: b.attention.pointer, count: rows * s.query)
        for t in 0..<rows { Kernels.multiply(scales[l].pointer, into: b.scaled.pointer + t * s.query, count: s.query) }
        BLAS.linear(b.scaled.pointer, rows: rows, inputs: s.query, weight: w.output, outputs: s.model,
                    bias: nil, into: b.projected.pointer)
        b.middle.pointer.update(from: b.residual(l, model: s.model), count: rows * s.model)
        Kernels.add(b.projected.pointer, into: b.middle.pointer, count: rows * s.model)
        Kernels.rmsNorm(b.middle.pointer, weight: w.feedForwardNorm.pointer, epsilon: s.epsilon,
                        rows: rows, dimension: s.model, out: b.normalized.pointer)
        BLAS.linear(b.normalized.pointer, rows: rows, inputs: s.model, weight: w.gate,
                    outputs: s.feedForward, bias: nil, into: b.gate.pointer)
        BLAS.linear(b.normalized.pointer, rows: rows, inputs: s.model, weight: w.up,
                    outputs: s.feedForward, bias: nil, into: b.up.pointer)
    }

    /// The forward pass of layer `l`: saves its attention outputs and log-sum-exps and writes
    /// residual `l + 1`. The top layer keeps its gate, so that its activations are still whole
    /// when the backward pass starts (``backward(layer:scaleGradient:recompute:)`` with
    /// `recompute: false`).
    func forward(layer l: Int) {
        let s = shape, b = buffers, w = weights.layers[l]
        attentionInputs(layer: l)
        attention.forward(output: b.output(l, query: s.query), logSumExp: logSumExp(l))
        attentionOutputsAndGates(layer: l)
        var product = b.gate.pointer
        if l == s.layers - 1 {
            // The backward pass starts here without recomputing: silu(gate) ⊙ up goes beside the gate.
            product = b.activationGradient.pointer
            product.update(from: b.gate.pointer, count: rows * s.feedForward)
        }
        // Otherwise in place: the backward pass recomputes the gate, so the forward need not keep it.
        Kernels.siluMultiply(gate: product, up: b.up.pointer, count: rows * s.feedForward)
        let next = b.residual(l + 1, model: s.model)
        BLAS.linear(product, rows: rows, inputs: s.feedForward, weight: w.down, outputs: s.model,
                    bias: nil, into: next)
        Kernels.add(b.middle.pointer, into: next, count: rows * s.model)
    }

    /// Turns `buffers.gradient` (d loss / d output of layer `l`) into d loss / d input, adding
    /// d loss / d scale into `scaleGradient` `[q]`. With `recompute` the layer's activations are
    /// first rebuilt from its saved residual and attention outputs (no attention forward: the
    /// outputs were kept); without, they must still be in the buffers from the forward pass of
    /// this very layer (the top layer, right after the forward pass).
    func backward(layer l: Int, scaleGradient: UnsafeMutablePointer<Float>, recompute: Bool) {
        let s = shape, b = buffers, w = weights.layers[l]
        let n = rows
        let output = b.output(l, query: s.query)
        if recompute {
            attentionInputs(layer: l)
            attentionOutputsAndGates(layer: l)
        }

        // Feed-forward: dm = dy·W_down, SwiGLU, dn2 = dg·W_gate + du·W_up, through the norm.
        let activationGradient = b.activationGradient.pointer
        BackwardKernels.linearBackward(b.gradient.pointer, rows: n, outputs: s.model, weight: w.down,
                                       inputs: s.feedForward, accumulate: false, into: activationGradient)
        BackwardKernels.swigluBackward(activationGradient, gate: b.gate.pointer, up: b.up.pointer,
                                       count: n * s.feedForward)
        BackwardKernels.linearBackward(b.gate.pointer, rows: n, outputs: s.feedForward, weight: w.gate,
                                       inputs: s.model, accumulate: false, into: b.normalizedGradient.pointer)
        BackwardKernels.linearBackward(b.up.pointer, rows: n, outputs: s.feedForward, weight: w.up,
                                       inputs: s.model, accumulate: true, into: b.normalizedGradient.pointer)
        b.middleGradient.pointer.update(from: b.gradient.pointer, count: n * s.model)
        BackwardKernels.rmsNormBackward(b.middle.pointer, weight: w.feedForwardNorm.pointer, epsilon: s.epsilon,
                                        rows: n, dimension: s.model, outputGradient: b.normalizedGradient.pointer,
                                        into: b.middleGradient.pointer)

        // o_proj and the scales: da' = dmid·W_o, ds += Σ_t da' ⊙ a, da = s ⊙ da'.
        let scaledGradient = b.scaled.pointer
        BackwardKernels.linearBackward(b.middleGradient.pointer, rows: n, outputs: s.model, weight: w.output,
                                       inputs: s.query, accumulate: false, into: scaledGradient)
        BackwardKernels.accumulateColumnProducts(scaledGradient, b.attention.pointer, rows: n, columns: s.query,
                                                 into: scaleGradient)
        for t in 0..<n { Kernels.multiply(scales[l].pointer, into: scaledGradient + t * s.query, count: s.query) }
        GroupStacking.stack(scaledGradient, rows: n, groups: s.groups, width: s.perGroup * s.headDimension,
                            into: b.stackedOutputGradient.pointer)

        // Attention, then the rotations back to Q/K/V gradients.
        attention.backward(output: output, outputGradient: b.stackedOutputGradient.pointer,
                           logSumExp: logSumExp(l), rowDelta: b.rowDelta.pointer,
                           queryGradient: b.rotatedQueryGradient.pointer, keyGradient: b.rotatedKeyGradient.pointer,
                           valueGradient: b.stackedValueGradient.pointer)
        tables.unrotateQueryGradients(b.rotatedQueryGradient.pointer, into: b.queryGradient.pointer)
        tables.unrotateKeyGradients(b.rotatedKeyGradient.pointer, into: b.keyGradient.pointer)
        GroupStacking.unstack(b.stackedValueGradient.pointer, rows: n, groups: s.groups, width: s.headDimension,
                              into: b.valueGradient.pointer)

        // dn1 = dq·W_q + dk·W_k + dv·W_v, through the attention norm, plus the residual path.
        BackwardKernels.linearBackward(b.queryGradient.pointer, rows: n, outputs: s.query, weight: w.query,
                                       inputs: s.model, accumulate: false, into: b.normalizedGradient.pointer)
        BackwardKernels.linearBackward(b.keyGradient.pointer, rows: n, outputs: s.keyValue, weight: w.key,
                                       inputs: s.model, accumulate: true, into: b.normalizedGradient.pointer)
        BackwardKernels.linearBackward(b.valueGradient.pointer, rows: n, outputs: s.keyValue, weight: w.value,
                                       inputs: s.model, accumulate: true, into: b.normalizedGradient.pointer)
        b.gradient.pointer.update(from: b.middleGradient.pointer, count: n * s.model)
        BackwardKernels.rmsNormBackward(b.residual(l, model: s.model), weight: w.attentionNorm.pointer,
                                        epsilon: s.epsilon, rows: n, dimension: s.model,
                                        outputGradient: b.normalizedGradient.pointer, into: b.gradient.pointer)
    }
}
