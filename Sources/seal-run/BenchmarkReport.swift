import Foundation
import SealModel

/// The benchmark's findings, printable as a table or JSON.
struct BenchmarkReport: Codable {
    struct Prefill: Codable {
        var tokens: Int
        var seconds: Double
        var tokensPerSecond: Double
        var modelGFLOPS: Double
        var fractionOfSgemm: Double
        var residentMB: Double
    }

    struct Decode: Codable {
        var context: Int
        var steps: Int
        var tokensPerSecond: Double
        var bytesPerToken: Double
        var fractionOfCopyBandwidth: Double
        /// Against `readGBps`, not the run's opening probe.
        var fractionOfReadBandwidth: Double
        /// Reading this storage's weights, each round of steps at the mean of the reads just
        /// before and after it (`DecodeRun.roundReadGBps`): the bandwidth the machine had while
        /// the steps ran.
        var readGBps: Double
        /// Against the best of those reads: the stricter figure, which judges every round by the
        /// run's fastest moment.
        var fractionOfBestRead: Double
        var bestReadGBps: Double
        var residentMB: Double
        /// KV cache and scratch the decoding session held (its own memory, beside the weights).
        var sessionMB: Double?
    }

    /// One weight storage's prefill and decode, beside the others of the same run.
    struct StorageRun: Codable {
        var storage: String
        var weightMB: Double
        /// What a process holding only this storage reached (see `PeakMemory`).
        var peakResidentMB: Double
        var prefill: [Prefill]
        var decode: [Decode]
        /// Each decode row's tokens/s over the fp32 model's at the same context (`nil` without fp32).
        var decodeRatioToF32: [Double?] = []
    }

    var model: String
    var blasCore: String
    var blasThreads: Int
    var coreTypeEnvironment: String
    var sgemmGFLOPS: Double
    var copyGBps: Double
    var readGBps: Double
    var loadSeconds: Double
    var weightBytes: Int
    var storage: String
    /// `/proc/loadavg` before the machine probe and after the last measurement: the neighbours' share.
    var loadAverageBefore: String
    var loadAverageAfter = ""
    var storages: [StorageRun] = []
    var caches: [CacheDecode] = []
    var prefill: [Prefill] = []
    var decode: [Decode] = []
    var peakResidentMB: Double = 0

    var table: String {
        var lines: [String] = []
        lines.append("model: \(model)")
        lines.append("OpenBLAS core \(blasCore), \(blasThreads) threads (OPENBLAS_CORETYPE=\(coreTypeEnvironment))")
        lines.append(String(format: "machine: sgemm %.1f GFLOP/s, copy %.1f GB/s (read+write), read %.1f GB/s (decode: against reads of its weights around it)",
                            sgemmGFLOPS, copyGBps, readGBps))
        lines.append(String(format: "load %.2f s, ", loadSeconds) + storage
                     + String(format: " weights %.0f MB", Double(weightBytes) / 1_048_576))
        lines.append("")
        lines.append("prefill   tokens/s   model GFLOP/s   / sgemm   RSS MB")
        for p in prefill {
            lines.append(String(format: "%7d   %8.1f   %13.1f   %6.1f%%   %6.0f",
                                p.tokens, p.tokensPerSecond, p.modelGFLOPS, p.fractionOfSgemm * 100, p.residentMB))
        }
        lines.append("")
        lines.append("decode after   tokens/s   MB/token   / copy BW   / read BW   (read GB/s)   / best read   (GB/s)   RSS MB")
        for d in decode {
            lines.append(String(format: "%12d   %8.2f   %8.1f   %8.1f%%   %8.1f%%   %11.1f   %10.1f%%   %6.1f   %6.0f",
                                d.context, d.tokensPerSecond, d.bytesPerToken / 1_048_576,
                                d.fractionOfCopyBandwidth * 100, d.fractionOfReadBandwidth * 100, d.readGBps,
                                d.fractionOfBestRead * 100, d.bestReadGBps, d.residentMB))
        }
        if !storages.isEmpty {
            lines.append("")
            lines.append(contentsOf: storageLines)
        }
        if !caches.isEmpty { lines.append(""); lines.append(CacheDecode.table(caches)) }
        lines.append("")
        lines.append(String(format: "peak resident memory: %.0f MB", peakResidentMB))
        lines.append("load average before: \(loadAverageBefore), after: \(loadAverageAfter)")
        return lines.joined(separator: "\n")
    }
}

extension BenchmarkReport {
    /// Each storage's prefill and decode ratios and peak memory, one block per storage.
    var storageLines: [String] {
        var lines = ["storage   weights MB   peak RSS MB   measurement           tokens/s   ratio"]
        let indent = String(repeating: " ", count: 38)
        for run in storages {
            let name = run.storage.padding(toLength: 7, withPad: " ", startingAt: 0)
            lines.append(name + String(format: "   %10.0f   %11.0f", run.weightMB, run.peakResidentMB))
            for p in run.prefill {
                lines.append(indent + String(format: "prefill %-6d        %8.1f   %5.1f%% of sgemm", p.tokens,
                                             p.tokensPerSecond, p.fractionOfSgemm * 100))
            }
            for (d, ratio) in zip(run.decode, run.decodeRatioToF32 + Array(repeating: nil, count: run.decode.count)) {
                let multiple = ratio.map { String(format: ", %.2fx f32", $0) } ?? ""
                lines.append(indent + String(format: "decode after %-6d   %8.2f   %5.1f%% of read BW", d.context,
                                             d.tokensPerSecond, d.fractionOfReadBandwidth * 100) + multiple)
            }
        }
        return lines
    }
}

/// Work and traffic of the transformer, for turning times into hardware ratios.
struct FlopModel {
    let configuration: ModelConfiguration

    /// Multiply-adds ×2 of every matrix product for a prompt of `tokens`
    /// (causal attention counts only the unmasked half), plus one LM-head row.
    func prefillFLOPs(tokens: Int) -> Double {
        let c = configuration
        let t = Double(tokens)
        let linear = 2 * Double(c.matrixParameterCount) * t
        let causalPairs = t * (t + 1) / 2
        let attention = 4 * Double(c.headCount * c.headDimension) * causalPairs * Double(c.layerCount)
        let head = 2 * Double(c.vocabularySize * c.modelDimension)
        return linear + attention + head
    }

    /// Bytes one decode step must read: every weight matrix (at `bytesPerWeight`), the LM head,
    /// and the cached keys and values (at `bytesPerCacheValue`).
    func decodeBytes(context: Double, bytesPerWeight: Double = 4, bytesPerCacheValue: Double = 4) -> Double {
        let c = configuration
        let weights = Double(c.matrixParameterCount + c.vocabularySize * c.modelDimension) * bytesPerWeight
        let cache = 2 * Double(c.layerCount * c.keyValueDimension) * context * bytesPerCacheValue
        return weights + cache
    }
}
