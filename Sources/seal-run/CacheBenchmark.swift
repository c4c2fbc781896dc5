import Foundation
import SealModel
import SealTokenizer

/// One KV cache type's decode at one context, beside the other type's in the same run.
struct CacheDecode: Codable {
    var cache: String
    var context: Int
    var tokensPerSecond: Double
    var fractionOfReadBandwidth: Double
    /// KV cache and scratch the session held.
    var sessionMB: Double
    /// Process resident memory while that session was held (weights included).
    var residentMB: Double
    /// Tokens/s over the f32 cache's at the same context.
    var ratioToF32: Double?

    static func table(_ rows: [CacheDecode]) -> String {
        var lines = ["KV cache   decode after   tokens/s   / read BW   session MB   RSS MB   x f32"]
        for r in rows {
            let ratio = r.ratioToF32.map { String(format: "%5.2f", $0) } ?? "    -"
            lines.append(r.cache.padding(toLength: 8, withPad: " ", startingAt: 0)
                         + String(format: "   %12d   %8.2f   %8.1f%%   %10.0f   %6.0f   ", r.context, r.tokensPerSecond,
                                  r.fractionOfReadBandwidth * 100, r.sessionMB, r.residentMB) + ratio)
        }
        return lines.joined(separator: "\n")
    }
}

extension Benchmark {
    /// Decode with every KV cache type at each `--decode-context` (the run's own type's rows are
    /// reused), as ratios to the f32 cache of this run: the target is f16 >= 1.5x at 8K.
    /// Each session is freed before the next is made, so the resident figures do not add up.
    func compareCaches(_ transformer: TransformerModel, decoded: [BenchmarkReport.Decode], machine: MachineProbe,
                       tokens: (Int) -> [TokenID]) throws -> [CacheDecode] {
        var measured: [(KVCacheStorage, [BenchmarkReport.Decode])] = [(modelOptions.kvCache, decoded)]
        for cache in KVCacheStorage.allCases where cache != modelOptions.kvCache {
            measured.append((cache, try decodeRows(transformer, machine: machine, tokens: tokens, cache: cache)))
        }
        let reference = measured.first { $0.0 == .f32 }?.1
        return measured.sorted { $0.0.rawValue > $1.0.rawValue }.flatMap { cache, rows in
            rows.map { row in
                let f32 = reference?.first { $0.context == row.context }?.tokensPerSecond
                return CacheDecode(cache: cache.rawValue, context: row.context, tokensPerSecond: row.tokensPerSecond,
                                   fractionOfReadBandwidth: row.fractionOfReadBandwidth, sessionMB: row.sessionMB ?? 0,
                                   residentMB: row.residentMB, ratioToF32: f32.map { row.tokensPerSecond / $0 })
            }
        }
    }
}
