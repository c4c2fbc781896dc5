import SealTensor

/// One layer's decode products that share an input: q, k and v (the normalised residual) and
/// gate and up (the normalised residual after attention), each group one dispatch to the decode pool.
struct DecodeGroups {
    let attentionInputs: ProductGroup
    let feedForwardInputs: ProductGroup

    /// Groups writing into row 0 of `workspace`, for every storage. Grouping does not change a
    /// single output bit (each row is computed as the matrix alone computes it); it saves dispatches.
    static func make(weights: StoredWeights, workspace ws: Workspace) -> [DecodeGroups] {
        weights.layers.map { layer in
            DecodeGroups(
                attentionInputs: ProductGroup([layer.query, layer.key, layer.value],
                                              outputs: [ws.queries.pointer, ws.keys.pointer, ws.values.pointer]),
                feedForwardInputs: ProductGroup([layer.gate, layer.up], outputs: [ws.gate.pointer, ws.up.pointer]))
        }
    }
}
