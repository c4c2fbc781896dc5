import CSealKernels
import Dispatch

extension WeightMatrix {
    /// Rows of fp32 weights dequantized per sgemm call in ``BLAS/linear(_:rows:inputs:weight:outputs:bias:scratch:into:)``'s
    /// prefill path.
    public static let tileRows = 128

    /// `y = W · x` for one input vector (the decode step).
    ///
    /// fp32 goes to OpenBLAS's sgemv. bf16 and Q8_0 split the rows over `threads` workers
    /// (at least 64 rows each), each running the `CSealKernels` kernel for the best instruction
    /// set of the CPU.
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, threads: Int) {
        if let float32 {
            BLAS.gemv(rows: rows, columns: columns, a: float32.pointer, lda: columns, x: x, y: y)
            return
        }
        let parts = max(1, min(threads, rows / 64))
        if parts == 1 {
            multiplyRows(0..<rows, x, y)
            return
        }
        let shared = SharedProduct(matrix: self, x: x, y: y)
        let chunk = (rows + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (part * chunk)..<min(shared.matrix.rows, (part + 1) * chunk)
            shared.matrix.multiplyRows(range, shared.x, shared.y)
        }
    }

    /// Rows `range` of `W · x` with the kernel `variant` (`nil`: the best this CPU runs).
    public func multiplyRows(_ range: Range<Int>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                             variant: KernelVariant? = nil) {
        guard !range.isEmpty else { return }
        let first = range.lowerBound, last = range.upperBound
        if let float32 {
            BLAS.gemv(rows: range.count, columns: columns, a: float32.pointer + first * columns, lda: columns, x: x,
                      y: y + first)
        } else if let halves {
            if let variant {
                seal_matvec_bf16_variant(variant.rawValue, halves, columns, x, y, first, last)
            } else {
                seal_matvec_bf16(halves, columns, x, y, first, last)
            }
        } else if let quants, let scales {
            if let variant {
                seal_matvec_q8_0_variant(variant.rawValue, quants, scales, columns, x, y, first, last)
            } else {
                seal_matvec_q8_0(quants, scales, columns, x, y, first, last)
            }
        }
    }
}

/// The instruction-set variants of the compact-weight kernels.
public enum KernelVariant: Int32, Sendable, CaseIterable {
    case portable = 0
    case avx2 = 1
    case avx512 = 2

    /// The variant decode uses on this CPU: the best it supports.
    public static var best: KernelVariant { KernelVariant(rawValue: seal_kernels_variant()) ?? .portable }

    /// Whether this CPU runs the variant.
    public var isSupported: Bool { seal_kernels_supported(rawValue) != 0 }
}

/// The pointers of one product, shared read-only by its workers (each writes disjoint rows of `y`).
private struct SharedProduct: @unchecked Sendable {
    let matrix: WeightMatrix
    let x: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}

/// Caller-owned scratch for prefill products with compact weights, sized once per session.
public final class ProductScratch: @unchecked Sendable {
    /// One tile of dequantized rows (`WeightMatrix.tileRows * columns`).
    public let tile: FloatBuffer

    /// Scratch for matrices of at most `columns` inputs; fp32 weights need none.
    public init(columns: Int, storage: WeightStorage) {
        tile = FloatBuffer(count: storage == .f32 ? 0 : WeightMatrix.tileRows * columns)
    }

    public var byteCount: Int { tile.byteCount }
}

extension BLAS {
    /// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)` with weights in any storage.
    ///
    /// One row is a matrix-vector product (``WeightMatrix/multiply(_:into:threads:)``);
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
            weight.multiply(input, into: out, threads: threadCount)
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
