import CSealKernels
import Foundation

/// How fast this machine reads given memory, measured on the spot.
///
/// Decode is bound by reading its weights, so its speed is judged against a read bandwidth.
/// On a shared host that bandwidth can double within minutes (26-55 GB/s on the
/// development machine in one afternoon), so a figure taken once at the start of a run can
/// make decode look slower or faster than memory allows. The benchmark therefore reads the
/// very bytes a decode step streams, just before and just after the timed steps.
public enum ReadProbe {
    /// Gigabytes per second reading every range once, each split over `threads` threads
    /// (thread t reads the t-th share of every range), best of `repeats` sweeps.
    public static func gigabytesPerSecond(reading ranges: [UnsafeRawBufferPointer], threads: Int,
                                          repeats: Int = 3) -> Double {
        let spans = ranges.compactMap { range in range.baseAddress.map { (UInt(bitPattern: $0), range.count) } }
        let total = spans.reduce(0) { $0 + $1.1 }
        let parts = max(1, threads)
        guard total > 0 else { return 0 }
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = Date()
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for (address, count) in spans {
                    let low = count * part / parts, high = count * (part + 1) / parts
                    guard high > low, let base = UnsafeRawPointer(bitPattern: address) else { continue }
                    _ = seal_read_bytes(base + low, high - low)
                }
            }
            best = min(best, Date().timeIntervalSince(start))
        }
        return Double(total) / best / 1e9
    }
}
