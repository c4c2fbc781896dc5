import CSealKernels
import Foundation
import SealModel
import SealTensor

/// The decode step's matrix-vector products one kind at a time, on the model's own weights:
/// OpenBLAS's sgemv single- and multi-threaded against the decode pool's kernel, and grouped
/// products (q/k/v, gate/up: one dispatch) against the same products one by one.
///
/// Each kind is timed over every layer's matrix in turn, so the weights stream from memory as
/// in decode (one layer's matrices alone would sit in the cache). The best of several rounds
/// counts. `sgemv` at N threads against a perfect split of its one-thread time is what OpenBLAS's
/// thread start and join cost; the pool's empty dispatch is the same cost for the pool.
struct ProductBenchmark {
    struct Row: Codable {
        var product: String
        var rows: Int
        var columns: Int
        /// Microseconds per call.
        var sgemvOneThread: Double?
        var sgemvThreads: Double?
        var poolOneThread: Double
        var poolThreads: Double
    }

    struct Report: Codable {
        var storage: String
        var threads: Int
        var products: [Row]
        /// Microseconds for q/k/v (and gate/up) of one layer: separate pool calls, then one group.
        var attentionInputsSeparate: Double
        var attentionInputsGrouped: Double
        var feedForwardInputsSeparate: Double
        var feedForwardInputsGrouped: Double
        /// Microseconds for one pool dispatch of empty parts over `threads`.
        var emptyDispatch: Double
    }

    let weights: StoredWeights
    let threads: Int
    let rounds = 7

    func measure() -> Report {
        let layers = weights.layers
        let kinds: [(String, [WeightMatrix])] = [
            ("q", layers.map(\.query)), ("k", layers.map(\.key)), ("o", layers.map(\.output)),
            ("gate", layers.map(\.gate)), ("down", layers.map(\.down)), ("lm head", [weights.lmHead]),
        ]
        let widest = max(weights.lmHead.rows, layers.reduce(0) { max($0, $1.gate.rows + $1.up.rows, $1.down.columns) })
        let x = FloatBuffer(count: widest), y = FloatBuffer(count: widest), z = FloatBuffer(count: widest)
        for i in 0..<widest { x.pointer[i] = Float(i % 13) * 0.01 - 0.06 }
        var rows: [Row] = []
        for (name, matrices) in kinds {
            guard let first = matrices.first else { continue }
            let perCall = { (body: (WeightMatrix) -> Void) in time(calls: matrices.count) { matrices.forEach(body) } }
            var sgemv: [Double?] = [nil, nil]
            if first.storage == .f32 {
                for (index, count) in [1, threads].enumerated() {
                    sgemv[index] = BLAS.withOpenBLASThreads(count) {
                        perCall { m in
                            BLAS.gemv(rows: m.rows, columns: m.columns, a: m.float32!.pointer, lda: m.columns, x: x.pointer,
                                      y: y.pointer)
                        }
                    }
                }
            }
            rows.append(Row(product: name, rows: first.rows, columns: first.columns,
                            sgemvOneThread: sgemv[0], sgemvThreads: sgemv[1],
                            poolOneThread: perCall { $0.multiply(x.pointer, into: y.pointer, threads: 1) },
                            poolThreads: perCall { $0.multiply(x.pointer, into: y.pointer, threads: threads) }))
        }

        let attention = layers.map { ProductGroup([$0.query, $0.key, $0.value], outputs: [y.pointer, z.pointer, z.pointer]) }
        let feedForward = layers.map { ProductGroup([$0.gate, $0.up], outputs: [y.pointer, z.pointer]) }
        let n = layers.count
        return Report(
            storage: weights.storage.rawValue, threads: threads, products: rows,
            attentionInputsSeparate: time(calls: n) {
                for l in layers { [l.query, l.key, l.value].forEach { $0.multiply(x.pointer, into: y.pointer, threads: threads) } }
            },
            attentionInputsGrouped: time(calls: n) { attention.forEach { $0.run(x.pointer, threads: threads) } },
            feedForwardInputsSeparate: time(calls: n) {
                for l in layers { [l.gate, l.up].forEach { $0.multiply(x.pointer, into: y.pointer, threads: threads) } }
            },
            feedForwardInputsGrouped: time(calls: n) { feedForward.forEach { $0.run(x.pointer, threads: threads) } },
            emptyDispatch: time(calls: 1000) {
                for _ in 0..<1000 { seal_pool_run({ _, _, _ in }, nil, Int32(4 * threads), Int32(threads)) }
            })
    }

    /// Best-of-`rounds` microseconds per call of `body`, which makes `calls` calls.
    private func time(calls: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
        }
        return best / Double(max(1, calls))
    }

    static func table(_ report: Report) -> String {
        let t = report.threads
        func cell(_ value: Double?) -> String { value.map { String(format: "%9.1f", $0) } ?? "        -" }
        var lines = ["decode products, \(report.storage) weights, µs per call (best of rounds over every layer)",
                     "product   shape          sgemv 1T  sgemv \(t)T   pool 1T   pool \(t)T   sgemv \(t)T sync"]
        for r in report.products {
            // OpenBLAS's cost of threading: its N-thread time above a perfect split of its 1-thread time.
            var sync: Double?
            if let one = r.sgemvOneThread, let many = r.sgemvThreads { sync = many - one / Double(t) }
            lines.append(r.product.padding(toLength: 8, withPad: " ", startingAt: 0)
                         + String(format: "  %5dx%-6d", r.rows, r.columns)
                         + cell(r.sgemvOneThread) + " " + cell(r.sgemvThreads) + " " + cell(r.poolOneThread) + " "
                         + cell(r.poolThreads) + "   " + cell(sync))
        }
        lines.append(String(format: "q/k/v of one layer: %.1f µs as 3 pool calls, %.1f µs as one group",
                            report.attentionInputsSeparate, report.attentionInputsGrouped))
        lines.append(String(format: "gate/up of one layer: %.1f µs as 2 pool calls, %.1f µs as one group",
                            report.feedForwardInputsSeparate, report.feedForwardInputsGrouped))
        lines.append(String(format: "one pool dispatch of %d empty parts: %.2f µs", 4 * t, report.emptyDispatch))
        return lines.joined(separator: "\n")
    }
}
