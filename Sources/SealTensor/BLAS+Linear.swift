import CSealKernels

extension BLAS {
    /// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)`: a linear layer with its
    /// `[outputs, inputs]` weight, shared by inference and the training pass so both compute
    /// the same map. A single row (the decode step) is a matrix-vector product on the decode pool
    /// (``WeightMatrix/multiply(_:into:threads:)``'s kernel); several rows go through sgemm.
    @inline(__always)
    public static func linear(_ input: UnsafePointer<Float>, rows: Int, inputs: Int, weight: FloatBuffer,
                              outputs: Int, bias: FloatBuffer?, into out: UnsafeMutablePointer<Float>) {
        if rows == 1 {
            precondition(weight.count == outputs * inputs, "weight shape does not match the product")
            var part = seal_matvec_segment(kind: Int32(SEAL_WEIGHTS_F32), values: UnsafeRawPointer(weight.pointer),
                                           scales: nil, rows: outputs, y: out)
            seal_matvec_group(&part, 1, inputs, input, Int32(clamping: threadCount))
        } else {
            gemm(m: rows, n: outputs, k: inputs, a: input, lda: inputs,
                 b: weight.pointer, ldb: inputs, transposeB: true, c: out, ldc: outputs)
        }
        if let bias {
            for r in 0..<rows { Kernels.add(bias.pointer, into: out + r * outputs, count: outputs) }
        }
    }
}
