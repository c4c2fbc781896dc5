import Foundation

extension BLAS {
    /// Threads that code running its own workers around the matrix products (attention tiles)
    /// may use: every core when OpenBLAS is single-threaded, otherwise 1, so that there is one
    /// level of threads and the two never contend. Read, never set: OpenBLAS's thread count
    /// is process-wide and changing it under concurrent sessions raced.
    public static var workersBesideBLAS: Int {
        threadCount == 1 ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1
    }
}
