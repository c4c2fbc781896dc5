import COpenBLAS
import Dispatch
import Synchronization

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

    /// Threads one product uses: sgemm in prefill and training (split by ``gemm``), attention
    /// tiles (each session's default attention workers) and the decode pool's matrix-vector products
    /// (``WeightMatrix/multiply(_:into:threads:)``, ``ProductGroup``) alike.
    ///
    /// The one thread setting of the process: its owner (the service at start, `seal-run
    /// --threads`) sets it once. OpenBLAS itself always runs single-threaded: its own threads
    /// spun in `sched_yield` between the many small products of prefill attention (about 40% of
    /// the samples at 8,192 tokens) while the work around them ran on one core. seal splits the
    /// large products itself and runs attention tiles on every thread instead: one level of
    /// threads, all of them ours. The default is OpenBLAS's own choice (its core count).
    public static var threadCount: Int {
        get { configuredThreads.load(ordering: .relaxed) }
        set { configuredThreads.store(clamped(newValue), ordering: .relaxed) }
    }

    /// The setting within what the decode pool, which it also sizes, takes.
    private static func clamped(_ threads: Int) -> Int { max(1, min(threads, DecodePool.maximumThreads)) }

    /// Read once, when first used: OpenBLAS's default thread count, which becomes seal's, and
    /// OpenBLAS set to one thread from then on.
    private static let configuredThreads: Atomic<Int> = {
        let initial = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        return Atomic(clamped(initial))
    }()

    /// Runs `body` with OpenBLAS's own threading at `count` threads, then single-threaded again:
    /// only for benchmarks that compare OpenBLAS's threads with seal's (never under load from
    /// other sessions: the setting is process-wide).
    public static func withOpenBLASThreads<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        _ = configuredThreads.load(ordering: .relaxed)  // OpenBLAS set to one thread first
        openblas_set_num_threads(Int32(max(1, count)))
        defer { openblas_set_num_threads(1) }
        return try body()
    }

    /// Multiply-adds below which a product is not split: the attention tiles' products (a few
    /// million each, already run one per thread) and anything where waking a thread costs more
    /// than it saves.
    static let splitThreshold = 1 << 23

    /// `C[m, n] = alpha * A[m, k] * op(B) + beta * C`, all row-major.
    ///
    /// - Parameters:
    ///   - transposeB: when `true`, `B` is stored as `[n, k]` (a linear layer's
    ///     `[out, in]` weight), which is the common case `x · Wᵀ`.
    ///
    /// Products of at least ``splitThreshold`` multiply-adds are split by columns of `C` over
    /// ``threadCount`` threads, each a single-threaded sgemm on a block of whole 16-column
    /// groups (the split depends on the shape and the thread count only, so results repeat).
    /// `split: false` makes one sgemm call (benchmarks comparing with OpenBLAS's threads).
    public static func gemm(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        split: Bool = true
    ) {
        let threads = threadCount
        guard split, threads > 1, n >= 32, Double(m) * Double(n) * Double(k) >= Double(splitThreshold) else {
            sgemm(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, transposeB: transposeB, beta: beta, c: c, ldc: ldc)
            return
        }
        let groups = (n + 15) / 16
        let parts = min(threads, groups)
        let operands = Operands(a: a, b: b, c: c)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let first = groups * part / parts * 16
            let last = min(n, groups * (part + 1) / parts * 16)
            guard first < last else { return }
            // Columns first..<last of C: rows first..<last of B stored [n, k], columns of B stored [k, n].
            let block = transposeB ? operands.b + first * ldb : operands.b + first
            sgemm(m: m, n: last - first, k: k, alpha: alpha, a: operands.a, lda: lda, b: block, ldb: ldb,
                  transposeB: transposeB, beta: beta, c: operands.c + first, ldc: ldc)
        }
    }

    /// A split product's matrices, shared by its parts: each part writes its own columns of `c`.
    private struct Operands: @unchecked Sendable {
        let a: UnsafePointer<Float>
        let b: UnsafePointer<Float>
        let c: UnsafeMutablePointer<Float>
    }

    @inline(__always)
    static func sgemm(
        m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
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
