import Foundation
import SealModel
import SealTensor
import SealTokenizer

extension Benchmark {
    /// Timed prefill of a random prompt of each `--prefill` length, as a fraction of this run's sgemm.
    func prefillRows(_ transformer: TransformerModel, machine: MachineProbe,
                     tokens: (Int) -> [TokenID]) throws -> [BenchmarkReport.Prefill] {
        let c = transformer.configuration
        var rows: [BenchmarkReport.Prefill] = []
        for length in prefill {
            guard length <= c.trainedContextLength else {
                printError("skipping prefill \(length): above the \(c.trainedContextLength)-token window")
                continue
            }
            let session = try InferenceSession(model: transformer, capacity: length, blockSize: blockSize,
                                               keyValueCache: modelOptions.kvCache)
            let prompt = tokens(length)
            let start = Date()
            try session.append(prompt)
            let seconds = Date().timeIntervalSince(start)
            let gflops: Double = FlopModel(configuration: c).prefillFLOPs(tokens: length) / seconds / 1e9
            rows.append(BenchmarkReport.Prefill(
                tokens: length, seconds: seconds, tokensPerSecond: Double(length) / seconds, modelGFLOPS: gflops,
                fractionOfSgemm: gflops / machine.sgemmGFLOPS,
                residentMB: Double(ProcessMemory.residentBytes) / 1_048_576))
        }
        return rows
    }

    /// One storage of `--compare-weights` beside the first model: loaded, its prefill timed, its
    /// decode sessions prepared (timed later, interleaved with every other session of the run).
    struct PreparedStorage {
        var storage: WeightStorage
        var weightMB: Double
        var peakResidentMB: Double
        var prefill: [BenchmarkReport.Prefill]
        var decode: [DecodeRun]
    }

    /// Loads each storage of `--compare-weights` other than `first` in turn (each stays loaded, so
    /// that its decode can be interleaved with the others'), with its prefill and decode sessions.
    ///
    /// A storage's peak is the process's resident memory before any model plus the peak growth
    /// while that storage loaded, prefilled and made its sessions (`PeakMemory`): what a process
    /// holding only that storage would reach.
    func prepareStorages(except first: WeightStorage, machine: MachineProbe,
                         tokens: (Int) -> [TokenID]) throws -> [PreparedStorage] {
        var prepared: [PreparedStorage] = []
        for storage in compareWeights where storage != first && !prepared.contains(where: { $0.storage == storage }) {
            let growth = PeakMemory.Growth()
            let model = try modelOptions.load(weights: storage).transformer
            let prefill = try prefillRows(model, machine: machine, tokens: tokens)
            let decode = try prepareDecode(model, cache: modelOptions.kvCache, tokens: tokens)
            prepared.append(PreparedStorage(storage: storage, weightMB: Double(model.weights.byteCount) / 1_048_576,
                                            peakResidentMB: growth.peakMB, prefill: prefill, decode: decode))
        }
        return prepared
    }

    /// The storage table's runs after the interleaved decode: each decode row as a multiple of the
    /// fp32 rate at the same context.
    func storageRuns(first: BenchmarkReport.StorageRun, others: [PreparedStorage],
                     machine: MachineProbe) -> [BenchmarkReport.StorageRun] {
        guard !compareWeights.isEmpty else { return [] }
        var runs = [first] + others.map {
            BenchmarkReport.StorageRun(storage: $0.storage.rawValue, weightMB: $0.weightMB, peakResidentMB: $0.peakResidentMB,
                                       prefill: $0.prefill, decode: $0.decode.map { $0.row(copyGBps: machine.copyGBps) })
        }
        let reference = runs.first { $0.storage == WeightStorage.f32.rawValue }?.decode
        for index in runs.indices {
            runs[index].decodeRatioToF32 = runs[index].decode.map { row in
                reference?.first { $0.context == row.context }.map { row.tokensPerSecond / $0.tokensPerSecond }
            }
        }
        return runs
    }
}

/// Peak resident memory over a phase of this process, by resetting the kernel's high-water mark
/// (`/proc/self/clear_refs`) when the phase starts and reading `VmHWM` after.
enum PeakMemory {
    /// Resident memory when the process had no model loaded (set by the first ``Growth``).
    nonisolated(unsafe) static var baselineBytes: Int?

    struct Growth {
        let start: Int

        init() {
            // Freed heap pages of a model measured before go back to the system, so that this
            // phase's allocations fault in fresh pages and count in its rise.
            PeakMemory.returnFreedMemory()
            let resident = ProcessMemory.residentBytes
            if PeakMemory.baselineBytes == nil { PeakMemory.baselineBytes = resident }
            try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
            start = resident
        }

        /// The baseline plus the high-water mark's rise since `init`, in MB.
        var peakMB: Double {
            let peak = PeakMemory.highWaterMark ?? ProcessMemory.peakResidentBytes
            return Double((PeakMemory.baselineBytes ?? 0) + max(0, peak - start)) / 1_048_576
        }
    }

    /// glibc's `malloc_trim(0)` where present (looked up at run time: Swift's Glibc module
    /// does not export malloc.h).
    static func returnFreedMemory() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// `VmHWM` of /proc/self/status in bytes; `nil` where unavailable.
    static var highWaterMark: Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}

/// The load average (1, 5, 15 minutes) from /proc/loadavg, to print beside figures from a shared machine.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
