import Foundation
import SealTestSupport
import Testing

/// `seal-run bench` end to end on a tiny model file: with other storages and the other KV cache
/// type to compare, every session's decode steps are timed (in interleaved rounds) and reported
/// with their ratios to fp32 and to the f32 cache. Structure only: speed is a benchmark's
/// business, not a test's.
@Suite("seal-run bench (tiny model)")
struct BenchCommandTests {
    @Test func comparesStoragesAndCacheTypesOverEveryStep() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 2, contextLength: 256).write(to: model)
        let result = try runCommand(BuildProducts.binary("seal-run").path,
                                    ["bench", "--model", model.path, "--threads", "2", "--prefill", "32",
                                     "--decode-context", "16", "40", "--decode-steps", "6",
                                     "--compare-weights", "bf16", "q8_0", "--compare-kv-cache", "--json"], timeout: 300)
        #expect(result.status == 0, "\(result.stdout)")
        // Output and errors come together: the report is the JSON object from the line that opens it.
        let output = "\n" + result.stdout
        let opening = try #require(output.range(of: "\n{"), "no JSON in \(result.stdout)")
        let json = Data(output[opening.lowerBound...].utf8)
        let report = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any], "\(result.stdout)")

        let storages = try #require(report["storages"] as? [[String: Any]])
        #expect(storages.compactMap { $0["storage"] as? String } == ["f32", "bf16", "q8_0"])
        for storage in storages {
            let decode = try #require(storage["decode"] as? [[String: Any]])
            #expect(decode.compactMap { $0["context"] as? Int } == [16, 40], "\(storage)")
            #expect(decode.allSatisfy { ($0["steps"] as? Int) == 6 && ($0["tokensPerSecond"] as? Double ?? 0) > 0
                                        && ($0["readGBps"] as? Double ?? 0) > 0 }, "\(decode)")
            // Each round is judged by the reads around it, never by more than the run's best read.
            #expect(decode.allSatisfy { ($0["bestReadGBps"] as? Double ?? 0) >= ($0["readGBps"] as? Double ?? .infinity) },
                    "\(decode)")
            let ratios = try #require(storage["decodeRatioToF32"] as? [Double])
            #expect(ratios.count == 2 && ratios.allSatisfy { $0 > 0 }, "\(storage)")
            if storage["storage"] as? String == "f32" { #expect(ratios == [1, 1]) }
        }

        let caches = try #require(report["caches"] as? [[String: Any]])
        #expect(caches.compactMap { $0["cache"] as? String } == ["f32", "f32", "f16", "f16"], "\(caches)")
        for row in caches {
            let ratio = try #require(row["ratioToF32"] as? Double)
            #expect(ratio > 0 && (row["cache"] as? String != "f32" || ratio == 1), "\(row)")
            #expect((row["sessionMB"] as? Double ?? 0) > 0, "\(row)")
        }
    }
}
