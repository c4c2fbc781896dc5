import SealTensor

/// Activations and gradients of one training step, sized for `rows` tokens.
///
/// The residual inputs of the layers, the attention log-sum-exps and the attention
/// outputs live for the whole step; everything else is one layer's worth, recomputed
/// in the backward pass. Keeping the outputs (`rows · q` floats a layer, 566 MB at 8,192
/// tokens on SmolLM2-135M) spares the backward pass a second attention forward (the
/// logits, their exponentials and `P·V` again), the most expensive part of a recompute
/// at long lengths. Stacked layouts keep the query heads of one KV group as
/// consecutive rows `(token, head)`: `[band][group][token · perGroup + k][headDim]`.
final class TrainingBuffers {
    let rows: Int
    /// Residual stream entering each layer, and the final one: `[layers + 1][rows, d]`.
    let residuals: FloatBuffer
    /// Log-sum-exp of each attention row: `[layers][group][rows · perGroup]`.
    let logSumExp: FloatBuffer
    /// Unscaled head outputs of each layer: `[layers][group][rows · perGroup][hd]`.
    let outputs: FloatBuffer

    // One layer's activations.
    let normalized: FloatBuffer      // [rows, d]
    let queries: FloatBuffer         // [rows, q]
    let keys: FloatBuffer            // [rows, kv]
    let values: FloatBuffer          // [rows, kv]
    let rotatedQueries: FloatBuffer  // [band][group][rows · perGroup][hd]
    let rotatedKeys: FloatBuffer     // [band][group][rows][hd]
    let stackedValues: FloatBuffer   // [group][rows][hd]
    let attention: FloatBuffer       // [rows, q], unscaled head outputs, token-major
    let scaled: FloatBuffer          // [rows, q], scaled outputs; reused for their gradient
    let projected: FloatBuffer       // [rows, d]
    let middle: FloatBuffer          // [rows, d], residual after attention
    let gate: FloatBuffer            // [rows, ffn]; silu(gate) ⊙ up once the forward is done
    let up: FloatBuffer              // [rows, ffn]

    // Gradients.
    let gradient: FloatBuffer        // [rows, d], d loss / d residual, flowing downwards
    let middleGradient: FloatBuffer  // [rows, d]
    let activationGradient: FloatBuffer // [rows, ffn], d loss / d (silu(gate) ⊙ up)
    let normalizedGradient: FloatBuffer // [rows, d]
    let stackedOutputGradient: FloatBuffer // [group][rows · perGroup][hd]
    let rowDelta: FloatBuffer        // [group][rows · perGroup]: Σ dO · O per attention row
    let rotatedQueryGradient: FloatBuffer // [band][group][rows · perGroup][hd]
    let rotatedKeyGradient: FloatBuffer   // [band][group][rows][hd], summed over workers
    let stackedValueGradient: FloatBuffer // [group][rows][hd], summed over workers
    let queryGradient: FloatBuffer   // [rows, q]
    let keyGradient: FloatBuffer     // [rows, kv]
    let valueGradient: FloatBuffer   // [rows, kv]

    init(shape s: TrainingShape, rows: Int) {
        self.rows = rows
        let n = rows
        residuals = FloatBuffer(count: (s.layers + 1) * n * s.model)
        logSumExp = FloatBuffer(count: s.layers * n * s.heads)
        outputs = FloatBuffer(count: s.layers * n * s.query)
        normalized = FloatBuffer(count: n * s.model)
        queries = FloatBuffer(count: n * s.query)
        keys = FloatBuffer(count: n * s.keyValue)
        values = FloatBuffer(count: n * s.keyValue)
        rotatedQueries = FloatBuffer(count: s.bands * n * s.query)
        rotatedKeys = FloatBuffer(count: s.bands * n * s.keyValue)
        stackedValues = FloatBuffer(count: n * s.keyValue)
        attention = FloatBuffer(count: n * s.query)
        scaled = FloatBuffer(count: n * s.query)
        projected = FloatBuffer(count: n * s.model)
        middle = FloatBuffer(count: n * s.model)
        gate = FloatBuffer(count: n * s.feedForward)
        up = FloatBuffer(count: n * s.feedForward)
        gradient = FloatBuffer(count: n * s.model)
        middleGradient = FloatBuffer(count: n * s.model)
        activationGradient = FloatBuffer(count: n * s.feedForward)
        normalizedGradient = FloatBuffer(count: n * s.model)
        stackedOutputGradient = FloatBuffer(count: n * s.query)
        rowDelta = FloatBuffer(count: n * s.heads)
        rotatedQueryGradient = FloatBuffer(count: s.bands * n * s.query)
        rotatedKeyGradient = FloatBuffer(count: s.bands * n * s.keyValue)
        stackedValueGradient = FloatBuffer(count: n * s.keyValue)
        queryGradient = FloatBuffer(count: n * s.query)
        keyGradient = FloatBuffer(count: n * s.keyValue)
        valueGradient = FloatBuffer(count: n * s.keyValue)
    }

    /// The residual stream entering `layer` (`layer == layers` is the final one).
    func residual(_ layer: Int, model: Int) -> UnsafeMutablePointer<Float> {
        residuals.pointer + layer * rows * model
    }

    /// The stacked head outputs of `layer`.
    func output(_ layer: Int, query: Int) -> UnsafeMutablePointer<Float> {
        outputs.pointer + layer * rows * query
    }

    var byteCount: Int {
        [residuals, logSumExp, outputs, normalized, queries, keys, values, rotatedQueries, rotatedKeys, stackedValues,
         attention, scaled, projected, middle, gate, up, gradient,
         middleGradient, activationGradient, normalizedGradient, stackedOutputGradient, rowDelta, rotatedQueryGradient,
         rotatedKeyGradient, stackedValueGradient, queryGradient, keyGradient, valueGradient]
            .reduce(0) { $0 + $1.byteCount }
    }
}
