import CSealKernels

/// The decode step's own threads: a small persistent pool (`CSealKernels/seal_pool.h`) that
/// splits each matrix-vector product's rows.
///
/// OpenBLAS's sgemv wakes and joins its threads on every call, which on 576-wide matrices is a
/// visible share of each product; the pool's workers spin briefly on their own cache line and
/// then sleep, and a decode step's products (one group each for q/k/v and gate/up) are handed
/// to them without allocation. Its size follows ``BLAS/threadCount``, the process's one thread
/// setting: workers start on first use, up to that count minus the calling thread.
public enum DecodePool {
    /// Workers started so far.
    public static var workers: Int { Int(seal_pool_workers()) }

    /// The most threads one product can use.
    public static let maximumThreads = Int(SEAL_POOL_MAX_THREADS)
}
