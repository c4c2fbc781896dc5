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
        var fractionOfReadBandwidth: Double
        var residentMB: Double
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
    var prefill: [Prefill] = []
    var decode: [Decode] = []
    var peakResidentMB: Double = 0

    var table: String {
        var lines: [String] = []
        lines.append("model: \(model)")
        lines.append("OpenBLAS core \(blasCore), \(blasThreads) threads (OPENBLAS_CORETYPE=\(coreTypeEnvironment))")
        lines.append(String(format: "machine: sgemm %.1f GFLOP/s, copy %.1f GB/s (read+write), read %.1f GB/s",
                            sgemmGFLOPS, copyGBps, readGBps))
        lines.append(String(format: "load %.2f s, fp32 weights %.0f MB", loadSeconds, Double(weightBytes) / 1_048_576))
        lines.append("")
        lines.append("prefill   tokens/s   model GFLOP/s   / sgemm   RSS MB")
        for p in prefill {
            lines.append(String(format: "%7d   %8.1f   %13.1f   %6.1f%%   %6.0f",
                                p.tokens, p.tokensPerSecond, p.modelGFLOPS, p.fractionOfSgemm * 100, p.residentMB))
        }
        lines.append("")
        lines.append("decode after   tokens/s   MB/token   / copy BW   / read BW   RSS MB")
        for d in decode {
            lines.append(String(format: "%12d   %8.2f   %8.1f   %8.1f%%   %8.1f%%   %6.0f",
                                d.context, d.tokensPerSecond, d.bytesPerToken / 1_048_576,
                                d.fractionOfCopyBandwidth * 100, d.fractionOfReadBandwidth * 100, d.residentMB))
        }
        lines.append("")
        lines.append(String(format: "peak resident memory: %.0f MB", peakResidentMB))
        return lines.joined(separator: "\n")
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

    /// Bytes one decode step must read: every fp32 weight matrix, the LM head,
    /// and the cached keys and values.
    func decodeBytes(context: Double) -> Double {
        let c = configuration
        let weights = Double(c.matrixParameterCount + c.vocabularySize * c.modelDimension) * 4
        let cache = 2 * Double(c.layerCount * c.keyValueDimension) * context * 4
        return weights + cache
    }
}
