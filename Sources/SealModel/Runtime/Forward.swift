import SealTensor
import SealTokenizer

/// Which rows of a block need logits.
enum OutputRows {
    case none
    case last
    case list([Int])
}

extension InferenceSession {
    /// Runs one block of tokens through every layer and appends it to the cache.
    func forward(_ tokens: UnsafeBufferPointer<TokenID>, outputRows: OutputRows) {
        let c = model.configuration
        let w = model.weights
        let rows = tokens.count
        let start = count
        cache.reserve(start + rows, keeping: start)
        let d = c.modelDimension
        let ws = workspace
        let x = ws.hidden.pointer
        let h = ws.normalized.pointer

        for (r, token) in tokens.enumerated() {
            w.tokenEmbedding.dequantize(rows: Int(token)..<(Int(token) + 1), into: x + r * d)
        }
        let products = ws.products
        fillRotaryTables(rows: rows, start: start)
        let attention = BlockAttention(configuration: c, plan: plan, cache: cache, workspace: ws, rotations: rotations,
                                       fusedDecode: fusedDecodeAttention)

        for (l, layer) in w.layers.enumerated() {
            Kernels.rmsNorm(x, weight: layer.attentionNorm.pointer, epsilon: c.rmsNormEpsilon,
                            rows: rows, dimension: d, out: h)
            if rows == 1 {
                decodeGroups[l].attentionInputs.run(h, threads: BLAS.threadCount)
                if let bias = layer.queryBias { Kernels.add(bias.pointer, into: ws.queries.pointer, count: bias.count) }
                if let bias = layer.keyBias { Kernels.add(bias.pointer, into: ws.keys.pointer, count: bias.count) }
                if let bias = layer.valueBias { Kernels.add(bias.pointer, into: ws.values.pointer, count: bias.count) }
            } else {
                BLAS.linear(h, rows: rows, inputs: d, weight: layer.query, outputs: c.queryDimension,
                            bias: layer.queryBias, scratch: products, into: ws.queries.pointer)
                BLAS.linear(h, rows: rows, inputs: d, weight: layer.key, outputs: c.keyValueDimension,
                            bias: layer.keyBias, scratch: products, into: ws.keys.pointer)
                BLAS.linear(h, rows: rows, inputs: d, weight: layer.value, outputs: c.keyValueDimension,
                            bias: layer.valueBias, scratch: products, into: ws.values.pointer)
            }
            storeKeysAndValues(layer: l, rows: rows, start: start)
            attention.run(layer: l, rows: rows, start: start)
            if let live = model.liveScales?[l] {
                for r in 0..<rows {
                    Kernels.multiply(live.pointer, into: ws.attention.pointer + r * c.queryDimension, count: c.queryDimension)
                }
            }
            BLAS.linear(ws.attention.pointer, rows: rows, inputs: c.queryDimension,
                        weight: model.effectiveOutputProjections[l], outputs: d, bias: nil, scratch: products,
                        into: ws.projected.pointer)
            Kernels.add(ws.projected.pointer, into: x, count: rows * d)

            Kernels.rmsNorm(x, weight: layer.feedForwardNorm.pointer, epsilon: c.rmsNormEpsilon,
                            rows: rows, dimension: d, out: h)
            let f = c.feedForwardDimension
            if rows == 1 {
                decodeGroups[l].feedForwardInputs.run(h, threads: BLAS.threadCount)
            } else {
                BLAS.linear(h, rows: rows, inputs: d, weight: layer.gate, outputs: f, bias: nil, scratch: products,
                            into: ws.gate.pointer)
                BLAS.linear(h, rows: rows, inputs: d, weight: layer.up, outputs: f, bias: nil, scratch: products,
                            into: ws.up.pointer)
            }
            Kernels.siluMultiply(gate: ws.gate.pointer, up: ws.up.pointer, count: rows * f)
            BLAS.linear(ws.gate.pointer, rows: rows, inputs: f, weight: layer.down, outputs: d, bias: nil,
                        scratch: products, into: ws.projected.pointer)
            Kernels.add(ws.projected.pointer, into: x, count: rows * d)
        }
        count = start + rows

        switch outputRows {
        case .none: break
        case .last: emitLogits(row: rows - 1, slot: 0)
        case .list(let list): for (slot, row) in list.enumerated() { emitLogits(row: row, slot: slot) }
        }
    }

    /// Final norm and LM head for one row of the block, into logits slot `slot`.
    private func emitLogits(row: Int, slot: Int) {
        let c = model.configuration
        let d = c.modelDimension
        let h = workspace.normalized.pointer
        Kernels.rmsNorm(workspace.hidden.pointer + row * d, weight: model.weights.outputNorm.pointer,
                        epsilon: c.rmsNormEpsilon, rows: 1, dimension: d, out: h)
        model.weights.lmHead.multiply(h, into: workspace.logits.pointer + slot * c.vocabularySize,
                                      threads: BLAS.threadCount)
    }

    /// cos/sin for every (band, row) of the block, for queries and keys, once per block.
    private func fillRotaryTables(rows: Int, start: Int) {
        let ws = workspace
        let pairs = model.configuration.ropeDimensionCount / 2
        let rotary = Rotary(inverseFrequencies: plan.inverseFrequencies, layout: model.configuration.ropeLayout,
                            headDimension: model.configuration.headDimension)
        if plan.bands.count > 1 {
            rotations.fill(positions: start..<(start + rows), plan: plan, rotary: rotary)
        }
        for (b, band) in plan.bands.enumerated() {
            for r in 0..<rows {
                let offset = (b * ws.blockSize + r) * pairs
                rotary.angles(position: band.query.apply(start + r),
                              cos: ws.queryCosines.pointer + offset, sin: ws.querySines.pointer + offset)
                rotary.angles(position: band.key.apply(start + r),
                              cos: ws.keyCosines.pointer + offset, sin: ws.keySines.pointer + offset)
            }
        }
    }

    /// Rotates the block's keys for the stored band (the last) and writes keys and values
    /// into the cache; other bands' keys are derived when a tile needs them.
    private func storeKeysAndValues(layer: Int, rows: Int, start: Int) {
        let c = model.configuration
        let hd = c.headDimension
        let ws = workspace
        let pairs = c.ropeDimensionCount / 2
        let rotary = Rotary(inverseFrequencies: plan.inverseFrequencies, layout: c.ropeLayout, headDimension: hd)
        let b = rotations.storedBand
        for g in 0..<c.keyValueHeadCount {
            for r in 0..<rows {
                let offset = r * c.keyValueDimension + g * hd
                cache.storeValue(ws.values.pointer + offset, layer: layer, head: g, position: start + r)
                // Rotated in the workspace (read nowhere after this), then stored in the cache's precision.
                let key = ws.keys.pointer + offset
                let table = (b * ws.blockSize + r) * pairs
                rotary.rotate(row: key, heads: 1, cos: ws.keyCosines.pointer + table, sin: ws.keySines.pointer + table)
                cache.storeKey(key, layer: layer, head: g, position: start + r)
            }
        }
    }
}
