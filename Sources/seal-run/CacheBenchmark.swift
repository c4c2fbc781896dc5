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
    /// Decode sessions with every KV cache type other than the run's own at each
    /// `--decode-context`, timed with the run's others (``timeInterleaved(_:)``). `heldBytes`: the
    /// sessions already held, left out of the resident figures.
    func prepareCaches(_ transformer: TransformerModel, tokens: (Int) -> [TokenID],
                       heldBytes: Int) throws -> [DecodeRun] {
        var runs: [DecodeRun] = []
        for cache in KVCacheStorage.allCases where cache != modelOptions.kvCache {
            let held = heldBytes + runs.reduce(0) { $0 + $1.session.byteCount }
            runs += try prepareDecode(transformer, cache: cache, tokens: tokens, heldBytes: held)
        }
        return runs
    }

    /// The cache table: each cache type's decode rows (the run's own type's among them), as
    /// ratios to the f32 cache at the same context; the target is f16 >= 1.5x at 8K.
    func cacheRows(_ runs: [DecodeRun], machine: MachineProbe) -> [CacheDecode] {
        let rows = runs.map { ($0.cache, $0.row(copyGBps: machine.copyGBps)) }
        return rows.sorted { $0.0.rawValue > $1.0.rawValue }.map { cache, row in
            let f32 = rows.first { $0.0 == .f32 && $0.1.context == row.context }?.1.tokensPerSecond
            return CacheDecode(cache: cache.rawValue, context: row.context, tokensPerSecond: row.tokensPerSecond,
                               fractionOfReadBandwidth: row.fractionOfReadBandwidth, sessionMB: row.sessionMB ?? 0,
                               residentMB: row.residentMB, ratioToF32: f32.map { row.tokensPerSecond / $0 })
        }
    }
}
