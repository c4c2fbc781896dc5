import Foundation
import SealTensor

/// The machine's own limits, measured by this process right before the model runs.
struct MachineProbe {
    var sgemmGFLOPS: Double
    var copyGBps: Double
    var readGBps: Double

    static func measure() -> MachineProbe {
        MachineProbe(sgemmGFLOPS: sgemm(), copyGBps: copy(), readGBps: read())
    }

    /// Best of several 1024³ sgemm calls with the threads the model will use, split by seal
    /// (as the model's products run) and threaded by OpenBLAS itself, whichever is faster: the
    /// reference is the machine's best sgemm, not only the one seal happens to use.
    static func sgemm(size n: Int = 1024, repeats: Int = 6) -> Double {
        // OpenBLAS's own threads first: they spin for a moment after their last call, which
        // must not fall on the probes that follow.
        let native = BLAS.withOpenBLASThreads(threads) { sgemm(size: n, repeats: repeats, split: false) }
        let split = sgemm(size: n, repeats: repeats, split: true)
        return max(split, native)
    }

    private static func sgemm(size n: Int, repeats: Int, split: Bool) -> Double {
        let a = FloatBuffer(count: n * n), b = FloatBuffer(count: n * n), c = FloatBuffer(count: n * n)
        for i in 0..<(n * n) {
            a.pointer[i] = Float(i % 7) * 0.1
            b.pointer[i] = Float(i % 5) * 0.1
        }
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = Date()
            BLAS.gemm(m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n, transposeB: true,
                      c: c.pointer, ldc: n, split: split)
            best = min(best, Date().timeIntervalSince(start))
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Threads used for the bandwidth probes: the same as the model's BLAS calls,
    /// since one core alone cannot saturate memory on most machines.
    static var threads: Int { max(1, BLAS.threadCount) }

    /// memcpy of a 256 MB buffer split over `threads`, counting bytes read plus
    /// bytes written (STREAM "copy").
    static func copy(bytes: Int = 256 << 20, repeats: Int = 5) -> Double {
        let source = FloatBuffer(count: bytes / 4), target = FloatBuffer(count: bytes / 4)
        source.fill(1)
        let parts = threads, slice = bytes / 4 / parts
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = Date()
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                memcpy(target.pointer + part * slice, source.pointer + part * slice, slice * 4)
            }
            best = min(best, Date().timeIntervalSince(start))
        }
        return 2 * Double(slice * parts * 4) / best / 1e9
    }

    /// A read-only sweep of a 256 MB buffer split over `threads`: the access pattern of
    /// decode, which streams weights once per token. The decode rows compare against a probe
    /// of their own weights taken around them (``ReadProbe``); this one is printed for scale.
    static func read(bytes: Int = 256 << 20, repeats: Int = 5) -> Double {
        let buffer = FloatBuffer(count: bytes / 4)
        buffer.fill(1)
        return withExtendedLifetime(buffer) {
            ReadProbe.gigabytesPerSecond(reading: [UnsafeRawBufferPointer(buffer.buffer)], threads: threads,
                                         repeats: repeats)
        }
    }
}
