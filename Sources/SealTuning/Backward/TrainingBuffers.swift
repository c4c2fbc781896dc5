import SealTensor

/// Activations and gradients of one training step, sized for `rows` tokens.
///
/// Only the residual inputs of the layers and the attention log-sum-exps live
/// for the whole step; everything else is one layer's worth, recomputed in the
/// backward pass. Stacked layouts keep the query heads of one KV group as
/// consecutive rows `(token, head)`: `[band][group][token · perGroup + k][headDim]`.
final class TrainingBuffers {
    let rows: Int
    /// Residual stream entering each layer, and the final one: `[layers + 1][rows, d]`.
    let residuals: FloatBuffer
    /// Log-sum-exp of each attention row: `[layers][group][rows · perGroup]`.
    let logSumExp: FloatBuffer

    // One layer's activations.
    let normalized: FloatBuffer      // [rows, d]
    let queries: FloatBuffer         // [rows, q]
    let keys: FloatBuffer            // [rows, kv]
    let values: FloatBuffer          // [rows, kv]
    let rotatedQueries: FloatBuffer  // [band][group][rows · perGroup][hd]
    let rotatedKeys: FloatBuffer     // [band][group][rows][hd]
    let stackedValues: FloatBuffer   // [group][rows][hd]
    let stackedOutput: FloatBuffer   // [group][rows · perGroup][hd], unscaled head outputs
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
        normalized = FloatBuffer(count: n * s.model)
        queries = FloatBuffer(count: n * s.query)
        keys = FloatBuffer(count: n * s.keyValue)
        values = FloatBuffer(count: n * s.keyValue)
        rotatedQueries = FloatBuffer(count: s.bands * n * s.query)
        rotatedKeys = FloatBuffer(count: s.bands * n * s.keyValue)
        stackedValues = FloatBuffer(count: n * s.keyValue)
        stackedOutput = FloatBuffer(count: n * s.query)
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

    var byteCount: Int {
        [residuals, logSumExp, normalized, queries, keys, values, rotatedQueries, rotatedKeys, stackedValues,
         stackedOutput, attention, scaled, projected, middle, gate, up, gradient,
         middleGradient, activationGradient, normalizedGradient, stackedOutputGradient, rowDelta, rotatedQueryGradient,
         rotatedKeyGradient, stackedValueGradient, queryGradient, keyGradient, valueGradient]
            .reduce(0) { $0 + $1.byteCount }
    }
}
