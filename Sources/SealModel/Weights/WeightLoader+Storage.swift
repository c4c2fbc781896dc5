import SealFormats
import SealTensor

extension WeightLoader {
    /// Loads every tensor with matrices in `storage`.
    ///
    /// fp32 is the plain ``load()``. For bf16 and Q8_0 each matrix is converted on its own
    /// (the largest tensor is the only fp32 scratch ever held, never the whole model); a GGUF
    /// tensor already in the target form (Q8_0 into Q8_0, BF16 into bf16) is copied without
    /// going through fp32. Norms and biases stay fp32.
    func load(storage: WeightStorage) throws(SealModelError) -> StoredWeights {
        guard storage != .f32 else { return StoredWeights(float32: try load(), configuration: configuration) }
        let c = configuration
        let d = c.modelDimension, q = c.queryDimension, kv = c.keyValueDimension, f = c.feedForwardDimension
        let scratch = FloatBuffer(count: max(c.vocabularySize * d, f * d, q * d))
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws(SealModelError) -> WeightMatrix {
            try compact(name, rows: rows, columns: columns, storage: storage, scratch: scratch)
        }
        var layers: [StoredLayer] = []
        layers.reserveCapacity(c.layerCount)
        for i in 0..<c.layerCount {
            func m(_ kind: TensorNaming.LayerTensor, _ rows: Int, _ columns: Int) throws(SealModelError) -> WeightMatrix {
                try matrix(naming.name(layer: i, kind), rows, columns)
            }
            func vector(_ kind: TensorNaming.LayerTensor, _ width: Int) throws(SealModelError) -> FloatBuffer {
                try tensor(naming.name(layer: i, kind), [width])
            }
            func bias(_ kind: TensorNaming.LayerTensor, _ width: Int) throws(SealModelError) -> FloatBuffer? {
                c.hasQKVBias ? try vector(kind, width) : nil
            }
            layers.append(StoredLayer(
                attentionNorm: try vector(.attentionNorm, d),
                query: try m(.query, q, d), key: try m(.key, kv, d), value: try m(.value, kv, d),
                queryBias: try bias(.queryBias, q), keyBias: try bias(.keyBias, kv), valueBias: try bias(.valueBias, kv),
                output: try m(.output, d, q),
                feedForwardNorm: try vector(.feedForwardNorm, d),
                gate: try m(.gate, f, d), up: try m(.up, f, d), down: try m(.down, d, f)))
        }
        let embedding = try matrix(naming.tokenEmbedding, c.vocabularySize, d)
        let head = c.tiedEmbeddings ? embedding : try matrix(naming.lmHead, c.vocabularySize, d)
        return StoredWeights(storage: storage, tokenEmbedding: embedding, layers: layers,
                             outputNorm: try tensor(naming.outputNorm, [d]), lmHead: head)
    }

    /// One matrix in `storage` (fp32 when its rows do not split into 32-value blocks).
    private func compact(_ name: String, rows: Int, columns: Int, storage: WeightStorage,
                         scratch: FloatBuffer) throws(SealModelError) -> WeightMatrix {
        try checkShape(name, [rows, columns])
        guard storage.fits(columns: columns) else {
            return WeightMatrix(float32: try tensor(name, [rows, columns]), rows: rows, columns: columns)
        }
        let result: WeightMatrix
        if let file = store as? GGUFFile, let info = file.tensor(named: name),
           let direct = Self.direct(file.rawBytes(of: info), type: info.type, rows: rows, columns: columns, storage: storage) {
            result = direct
        } else {
            let count = rows * columns
            do {
                try store.loadFloat32(name, into: UnsafeMutableBufferPointer(start: scratch.pointer, count: count))
            } catch {
                throw SealModelError(error)
            }
            result = WeightMatrix(converting: scratch.pointer, rows: rows, columns: columns, to: storage)
        }
        if let bad = result.firstNonFinite() {
            throw SealModelError(.nonFiniteWeight(tensor: name, index: bad.index, value: bad.value), source: store.sourceDescription)
        }
        return result
    }

    /// A GGUF tensor already stored in the target form, copied as is; `nil` when it needs converting.
    private static func direct(_ bytes: UnsafeRawBufferPointer, type: GGMLType, rows: Int, columns: Int,
                               storage: WeightStorage) -> WeightMatrix? {
        switch (type, storage) {
        case (.q8_0, .q8_0) where bytes.count == rows * columns / Q8Block.size * 34:
            WeightMatrix(q8_0Blocks: bytes, rows: rows, columns: columns)
        case (.bf16, .bf16) where bytes.count == rows * columns * 2:
            WeightMatrix(bfloat16: bytes, rows: rows, columns: columns)
        default:
            nil
        }
    }
}
