extension BLAS {
    /// `out[rows, outputs] = input[rows, inputs] · weightᵀ (+ bias)`: a linear layer with its
    /// `[outputs, inputs]` weight, shared by inference and the training pass so both compute
    /// the same map. A single row goes through gemv (the decode step).
    @inline(__always)
    public static func linear(_ input: UnsafePointer<Float>, rows: Int, inputs: Int, weight: FloatBuffer,
                              outputs: Int, bias: FloatBuffer?, into out: UnsafeMutablePointer<Float>) {
        if rows == 1 {
            gemv(rows: outputs, columns: inputs, a: weight.pointer, lda: inputs, x: input, y: out)
        } else {
            gemm(m: rows, n: outputs, k: inputs, a: input, lda: inputs,
                 b: weight.pointer, ldb: inputs, transposeB: true, c: out, ldc: outputs)
        }
        if let bias {
            for r in 0..<rows { Kernels.add(bias.pointer, into: out + r * outputs, count: outputs) }
        }
    }
}
