import COpenBLAS

extension BLAS {
    /// `C[m, n] = alpha * op(A) * op(B) + beta * C`, all row-major, either operand transposed.
    ///
    /// The backward pass needs `Aᵀ·B` (key and value gradients accumulate `dSᵀ·Q` and `Pᵀ·dO`)
    /// besides the forward's `A·Bᵀ`. `op(A)` is `[m, k]`: stored `[k, m]` when `transposeA`;
    /// `op(B)` is `[k, n]`: stored `[n, k]` when `transposeB`.
    @inline(__always)
    public static func gemm(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc))
    }
}
