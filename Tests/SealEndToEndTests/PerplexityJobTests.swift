import Foundation
import SealTestSupport
import Testing

/// The perplexity job on the real seald and sealctl binaries with a tiny model file: the job's
/// figure is `seal-run perplexity`'s for the same file, text and context (printed to 4 places
/// by both), an f16 cache is reported and lands near it, and bad parameters are refused with a
/// message naming the field.
@Suite("Perplexity job on the real daemon (tiny model)", .serialized)
struct PerplexityJobTests {
    static func finalPPL(_ output: String) -> Double? {
        guard let range = output.range(of: "PPL = ") else { return nil }
        return Double(output[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    @Test func sealctlRunsAPerplexityJobThatAgreesWithSealRun() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 2, contextLength: 256).write(to: model)
        let text = directory.appendingPathComponent("text.txt")
        let words = ["seal", "scales", "heads", "attention", "the", "long", "context", "of", "a", "model"]
        try (0..<300).map { words[($0 * 7 + $0 / 3) % words.count] }.joined(separator: " ")
            .write(to: text, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(model: model)
        try daemon.start()
        defer { _ = daemon.stop() }

        let job = try daemon.sealctl(["perplexity", "run", text.path, "--context", "64", "--kv-cache", "f32", "--wait"])
        #expect(job.status == 0, "\(job.stdout)")
        let reference = try runCommand(BuildProducts.binary("seal-run").path,
                                       ["perplexity", "--model", model.path, "--context", "64", text.path], timeout: 120)
        #expect(reference.status == 0, "\(reference.stdout)")
        let fromJob = try #require(Self.finalPPL(job.stdout), "\(job.stdout)")
        let fromTool = try #require(Self.finalPPL(reference.stdout), "\(reference.stdout)")
        #expect(fromJob == fromTool, "job \(fromJob), seal-run \(fromTool)")
        #expect(fromJob > 1, "a random model cannot predict the text")

        let half = try daemon.sealctl(["perplexity", "run", text.path, "--context", "64", "--kv-cache", "f16", "--wait"])
        #expect(half.status == 0 && half.stdout.contains("KV cache f16"), "\(half.stdout)")
        let fromHalf = try #require(Self.finalPPL(half.stdout), "\(half.stdout)")
        #expect(abs(fromHalf - fromJob) <= 1e-3 * fromJob, "f16 \(fromHalf) against f32 \(fromJob)")

        for (body, message) in [(#"{"text":"hi","context":8}"#, "perplexity.context"),
                                (#"{"text":"hi","context":64,"kv_cache":"q8_0"}"#, "perplexity.kv_cache"),
                                (#"{"text":"","context":64}"#, "perplexity.text")] {
            let (status, reply) = try daemon.curl("POST", "/api/jobs", body: #"{"kind":"perplexity","perplexity":\#(body)}"#)
            #expect(status == 400 && reply.contains(message), "\(status) \(reply)")
        }
    }
}
