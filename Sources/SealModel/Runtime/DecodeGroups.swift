import SealTensor

/// One layer's decode products that share an input: q, k and v (the normalised residual) and
/// gate and up (the normalised residual after attention).
struct DecodeGroups {
    let attentionInputs: ProductGroup
    let feedForwardInputs: ProductGroup

    /// Groups writing into row 0 of `workspace`, for compact (bf16, Q8_0) weights; `nil` for fp32,
    /// whose products stay separate OpenBLAS calls (the reference path).
    static func make(weights: StoredWeights, workspace ws: Workspace) -> [DecodeGroups]? {
        guard weights.storage != .f32 else { return nil }
        return weights.layers.map { layer in
            DecodeGroups(
                attentionInputs: ProductGroup([layer.query, layer.key, layer.value],
                                              outputs: [ws.queries.pointer, ws.keys.pointer, ws.values.pointer]),
                feedForwardInputs: ProductGroup([layer.gate, layer.up], outputs: [ws.gate.pointer, ws.up.pointer]))
        }
    }
}
