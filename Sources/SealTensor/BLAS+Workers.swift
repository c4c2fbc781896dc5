import Foundation

extension BLAS {
    /// Threads that code running its own workers around the matrix products (attention tiles)
    /// uses: all of ``threadCount``, since OpenBLAS is single-threaded and splits nothing
    /// itself (a product large enough to split, called from such a worker, nests its split in
    /// Dispatch's pool, which does not oversubscribe).
    public static var workersBesideBLAS: Int { threadCount }
}
