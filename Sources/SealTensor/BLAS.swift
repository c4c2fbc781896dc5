import COpenBLAS

/// Thin, row-major wrappers over OpenBLAS.
///
/// Every matrix product in seal goes through here so that the choice of BLAS,
/// its threading and its core detection are visible in one place.
public enum BLAS {
    /// The kernel family OpenBLAS selected for this CPU (e.g. "Haswell", "SkylakeX").
    ///
    /// Debian's OpenBLAS falls back to slow generic kernels on CPUs it does not
    /// recognise; logging this at start-up makes that visible.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The OpenBLAS build configuration string.
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }

    /// Threads one product uses: OpenBLAS's calls (sgemm in prefill) and the decode pool's
    /// matrix-vector products (``WeightMatrix/multiply(_:into:threads:)``, ``ProductGroup``) alike.
    ///
    /// The one thread setting of the process: its owner (the service at start, `seal-run
    /// --threads`) sets it once; decode reads it per call and starts pool workers up to it.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// `C[m, n] = alpha * A[m, k] * op(B) + beta * C`, all row-major.
    ///
    /// - Parameters:
    ///   - transposeB: when `true`, `B` is stored as `[n, k]` (a linear layer's
    ///     `[out, in]` weight), which is the common case `x · Wᵀ`.
    @inline(__always)
    public static func gemm(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb),
            beta, c, blasint(ldc))
    }

    /// `y[m] = alpha * A[m, n] · x[n] + beta * y` with `A` row-major.
    @inline(__always)
    public static func gemv(
        rows: Int, columns: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>,
        beta: Float = 0,
        y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(
            CblasRowMajor, CblasNoTrans, blasint(rows), blasint(columns),
            alpha, a, blasint(lda), x, 1, beta, y, 1)
    }

    /// `y[n] = alpha * Aᵀ · x[m] + beta * y` where `A` is `[m, n]` row-major.
    @inline(__always)
    public static func gemvTransposed(
        rows: Int, columns: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>,
        beta: Float = 0,
        y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(
            CblasRowMajor, CblasTrans, blasint(rows), blasint(columns),
            alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
}
