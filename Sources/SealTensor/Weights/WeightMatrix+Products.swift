import CSealKernels

extension WeightMatrix {
    /// Rows of fp32 weights dequantized per sgemm call in ``BLAS/linear(_:rows:inputs:weight:outputs:bias:scratch:into:)``'s
    /// prefill path.
    public static let tileRows = 128

    /// `y = W · x` for one input vector (the decode step).
    ///
    /// Every storage runs the `CSealKernels` kernel for the best instruction set of the CPU, the rows
    /// split over up to `threads` threads of the decode pool (``MatrixVector``). Each row is computed
    /// the same way whatever the split, so the result does not depend on `threads`.
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, threads: Int) {
        var part = segment(into: y)
        seal_matvec_group(&part, 1, columns, x, Int32(clamping: threads))
    }

    /// This matrix as one segment of a ``ProductGroup`` writing into `y`.
    func segment(into y: UnsafeMutablePointer<Float>) -> seal_matvec_segment {
        if let float32 {
            return seal_matvec_segment(kind: Int32(SEAL_WEIGHTS_F32), values: UnsafeRawPointer(float32.pointer), scales: nil,
                                       rows: rows, y: y)
        }
        if let halves {
            return seal_matvec_segment(kind: Int32(SEAL_WEIGHTS_BF16), values: UnsafeRawPointer(halves), scales: nil,
                                       rows: rows, y: y)
        }
        return seal_matvec_segment(kind: Int32(SEAL_WEIGHTS_Q8_0), values: quants.map { UnsafeRawPointer($0) },
                                   scales: scales.map { UnsafePointer($0) }, rows: rows, y: y)
    }

    /// Rows `range` of `W · x` with the kernel `variant` (`nil`: the best this CPU runs), on this thread.
    public func multiplyRows(_ range: Range<Int>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                             variant: KernelVariant? = nil) {
        guard !range.isEmpty else { return }
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range outside the matrix")
        let first = range.lowerBound, last = range.upperBound
        let chosen = (variant ?? .best).rawValue
        if let float32 {
            seal_matvec_f32_variant(chosen, float32.pointer, columns, x, y, first, last)
        } else if let halves {
            seal_matvec_bf16_variant(chosen, halves, columns, x, y, first, last)
        } else if let quants, let scales {
            seal_matvec_q8_0_variant(chosen, quants, scales, columns, x, y, first, last)
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
