extension WeightMatrix {
    /// Copies GGUF Q8_0 blocks (an fp16 scale and 32 int8 values, 34 bytes) without going through fp32.
    ///
    /// `blocks` holds `rows * columns / 32` blocks; `columns` must be a multiple of 32.
    public convenience init(q8_0Blocks blocks: UnsafeRawBufferPointer, rows: Int, columns: Int) {
        self.init(allocating: .q8_0, rows: rows, columns: columns)
        guard let quants, let scales, let base = blocks.baseAddress else { return }
        let count = rows * columns / Q8Block.size
        precondition(blocks.count >= count * 34, "Q8_0 data shorter than the matrix")
        for b in 0..<count {
            let block = base + b * 34
            scales[b] = NumericConversions.float(half: block.loadUnaligned(as: UInt16.self))
            for j in 0..<Q8Block.size { quants[b * Q8Block.size + j] = block.load(fromByteOffset: 2 + j, as: Int8.self) }
        }
    }

    /// Copies bf16 values (`rows * columns`, little-endian) without going through fp32.
    public convenience init(bfloat16 values: UnsafeRawBufferPointer, rows: Int, columns: Int) {
        self.init(allocating: .bf16, rows: rows, columns: columns)
        guard let halves, let base = values.baseAddress else { return }
        let count = rows * columns
        precondition(values.count >= count * 2, "bf16 data shorter than the matrix")
        for i in 0..<count { halves[i] = base.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self) }
    }

    /// The first weight that is NaN or infinite (its index and value), if any.
    ///
    /// For Q8_0 a block's values are finite exactly when its scale is.
    public func firstNonFinite() -> (index: Int, value: Float)? {
        let count = rows * columns
        if let float32 {
            return (0..<count).lazy.first { !float32.pointer[$0].isFinite }.map { ($0, float32.pointer[$0]) }
        }
        if let halves {
            return (0..<count).lazy.first { halves[$0] & 0x7F80 == 0x7F80 }
                .map { ($0, NumericConversions.float(bfloat16: halves[$0])) }
        }
        if let scales {
            return (0..<(count / Q8Block.size)).lazy.first { !scales[$0].isFinite }.map { ($0 * Q8Block.size, scales[$0]) }
        }
        return nil
    }
}
