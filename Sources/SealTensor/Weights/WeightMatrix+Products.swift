import Dispatch

extension WeightMatrix {
    /// Rows of fp32 weights dequantized per sgemm call in ``linear``'s prefill path.
    public static let tileRows = 128

    /// `y = W · x` for one input vector (the decode step).
    ///
    /// fp32 goes to OpenBLAS's sgemv. bf16 and Q8_0 permute `x` into `scratch` (`columns`
    /// floats) and split the rows over `threads` workers; each row is one ``QuantizedKernels``
    /// dot product.
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>, threads: Int) {
        if let float32 {
            BLAS.gemv(rows: rows, columns: columns, a: float32.pointer, lda: columns, x: x, y: y)
            return
        }
        QuantizedKernels.permute(x, columns: columns, storage: storage, into: scratch)
        let parts = max(1, min(threads, rows / 64))
        if parts == 1 {
            multiplyRows(0..<rows, scratch, y)
            return
        }
        let shared = SharedProduct(matrix: self, x: scratch, y: y)
        let chunk = (rows + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (part * chunk)..<min(shared.matrix.rows, (part + 1) * chunk)
            shared.matrix.multiplyRows(range, shared.x, shared.y)
        }
    }

    /// Rows `range` of `W · x`, `x` already permuted.
    func multiplyRows(_ range: Range<Int>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let n = columns
        if let halves {
            for r in range { y[r] = QuantizedKernels.dotBF16(halves + r * n, x, columns: n) }
        } else if let quants, let scales {
            let blocks = n / Q8Block.size
            for r in range { y[r] = QuantizedKernels.dotQ8(quants + r * n, scales: scales + r * blocks, x, columns: n) }
        }
    }
}

/// The pointers of one product, shared read-only by its workers (each writes disjoint rows of `y`).
private struct SharedProduct: @unchecked Sendable {
    let matrix: WeightMatrix
    let x: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}

/// Caller-owned scratch for products with compact weights, sized once per session.
public final class ProductScratch: @unchecked Sendable {
    /// The permuted input vector of a decode product.
    public let input: FloatBuffer
    /// One tile of dequantized rows for prefill (`WeightMatrix.tileRows * columns`).
    public let tile: FloatBuffer

    /// Scratch for matrices of at most `columns` inputs; no tile is needed for fp32 weights.
    public init(columns: Int, storage: WeightStorage) {
        input = FloatBuffer(count: storage == .f32 ? 0 : columns)
        tile = FloatBuffer(count: storage == .f32 ? 0 : WeightMatrix.tileRows * columns)
    }

    public var byteCount: Int { input.byteCount + tile.byteCount }
}

extension BLAS {
    /// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)` with weights in any storage.
    ///
    /// One row is a matrix-vector product (``WeightMatrix/multiply(_:into:scratch:threads:)``);
    /// several rows go through sgemm, directly on fp32 weights or on tiles of
    /// ``WeightMatrix/tileRows`` rows dequantized into `scratch.tile` one at a time.
    public static func linear(_ input: UnsafePointer<Float>, rows: Int, inputs: Int, weight: WeightMatrix,
                              outputs: Int, bias: FloatBuffer?, scratch: ProductScratch,
                              into out: UnsafeMutablePointer<Float>) {
        precondition(weight.rows == outputs && weight.columns == inputs, "weight shape does not match the product")
        if let float32 = weight.float32 {
            linear(input, rows: rows, inputs: inputs, weight: float32, outputs: outputs, bias: bias, into: out)
            return
        }
        if rows == 1 {
            weight.multiply(input, into: out, scratch: scratch.input.pointer, threads: threadCount)
        } else {
            let tile = scratch.tile.pointer
            for first in stride(from: 0, to: outputs, by: WeightMatrix.tileRows) {
                let count = min(WeightMatrix.tileRows, outputs - first)
                weight.dequantize(rows: first..<(first + count), into: tile)
                gemm(m: rows, n: count, k: inputs, a: input, lda: inputs, b: tile, ldb: inputs, transposeB: true,
                     c: out + first, ldc: outputs)
            }
        }
        if let bias {
            for r in 0..<rows { Kernels.add(bias.pointer, into: out + r * outputs, count: outputs) }
        }
    }
}
