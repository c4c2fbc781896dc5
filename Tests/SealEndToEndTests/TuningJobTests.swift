import Foundation
import Testing

/// Tuning jobs against the real seald and the real model: progress, checkpoints across
/// `kill -9`, the scale set they store and its use per request, in evaluations and as the
/// configured default; cancellation and bad requests.
@Suite("Tuning jobs (slow: real daemon, real model)", .serialized)
struct TuningJobTests {
    func progress(_ record: [String: Any]) -> [String: Any] { record["progress"] as? [String: Any] ?? [:] }

    func checkpointStep(_ daemon: DaemonProcess, _ id: String) -> Int? {
        let url = daemon.stateDirectory.appendingPathComponent("jobs/\(id).checkpoint.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let state = object["state"] as? [String: Any] else { return nil }
        return state["step"] as? Int
    }

    @Test func aTuneJobSurvivesKill9AndItsScaleSetServesEverywhere() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let (status, body) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "tune", "name": "e2e", "tune": {"task": "passkey", "samples": 8, "target_tokens": 100, "seed": 5,
             "strategy": "headwise", "learning_rate": 0.02, "checkpoint_every": 1}}
            """)
        try #require(status == 201, "\(body)")
        let id = try #require(jsonObject(body)?["id"] as? String)

        // Kill the daemon once a few steps are checkpointed.
        var seen = 0
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline && seen < 3 {
            let record = try daemon.job(id)
            seen = progress(record)["completed"] as? Int ?? 0
            if record["state"] as? String == "failed" { Issue.record("tuning failed: \(record)"); return }
            usleep(100_000)
        }
        let running = try daemon.job(id)
        #expect(progress(running)["loss"] is Double, "progress carries the loss: \(running)")
        #expect(progress(running)["tokens_per_second"] is Double)
        #expect((progress(running)["message"] as? String)?.contains("loss") == true)
        daemon.kill9()
        let saved = try #require(checkpointStep(daemon, id), "no checkpoint after \(seen) steps")
        try #require(seen >= 3 && seen < 8, "the job reached step \(seen) before the kill")
        #expect(saved >= seen - 1, "checkpoint at step \(saved) but the job had reported \(seen): more than one interval lost")

        try daemon.start()
        let finished = try daemon.waitForJob(id, timeout: 300)
        try #require(finished["state"] as? String == "succeeded", "\(finished)")
        #expect(daemon.output.contains("tuning resumes from its checkpoint"))
        let artifacts = try #require(finished["artifacts"] as? [String])
        let scaleSet = try #require(artifacts.first)
        #expect(scaleSet.hasPrefix("sc-"))
        #expect(artifacts.count == 2 && artifacts[1].hasPrefix("ds-"), "the generated training dataset is kept: \(artifacts)")

        let content = try #require(jsonObject(try daemon.curl("GET", "/api/artifacts/\(scaleSet)/content").body))
        let values = try #require(content["values"] as? [Double])
        #expect(values.count == 270, "SEAL-H on SmolLM2-135M: 30 layers x 9 heads")
        #expect(values.contains { $0 != 1 }, "training moved the scales")
        let training = try #require(content["training"] as? [String: Any])
        #expect(training["steps"] as? Int == 8)
        #expect((training["loss_curve"] as? [Double])?.count == 8, "one loss per step, none lost or repeated across the kill")
        #expect((training["model_hash"] as? String)?.hasPrefix("fnv1a64:") == true)
        #expect(training["task"] as? String == "passkey" && training["seed"] as? Int == 5)
        #expect((training["hyperparameters"] as? [String: Any])?["learning_rate"] as? Double == 0.02)
        #expect((training["wall_seconds"] as? Double ?? 0) > 0)
        let tensors = try #require(training["tensors_file"] as? String)
        let file = try Data(contentsOf: URL(fileURLWithPath: tensors))
        let headerLength = file.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try #require(try JSONSerialization.jsonObject(with: file.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        #expect((header["scales"] as? [String: Any])?["shape"] as? [Int] == [30, 576])
        #expect(file.count == 8 + headerLength + 4 * (270 + 30 * 576))

        // Per request, in an evaluation, and as the configured default.
        let (generated, answer) = try daemon.curl("POST", "/api/generate", body: """
            {"prompt": "The capital of France is", "max_tokens": 3, "temperature": 0, "scale_set": "\(scaleSet)"}
            """)
        #expect(generated == 200, "\(answer)")
        #expect(jsonObject(answer)?["scale_set"] as? String == scaleSet)
        let dataset = artifacts[1]
        let (evalStatus, evalBody) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "eval", "eval": {"dataset": "\(dataset)", "scale_set": "\(scaleSet)", "max_tokens": 8}}
            """)
        #expect(evalStatus == 201, "\(evalBody)")
        let evaluation = try daemon.waitForJob(try #require(jsonObject(evalBody)?["id"] as? String), timeout: 300)
        #expect(evaluation["state"] as? String == "succeeded", "\(evaluation)")

        #expect(daemon.stop() == 0)
        var yaml = try String(contentsOf: daemon.configURL, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "model:\n  path: ", with: "model:\n  scale_set: \(scaleSet)\n  path: ")
        try yaml.write(to: daemon.configURL, atomically: true, encoding: .utf8)
        try daemon.start()
        let (_, byDefault) = try daemon.curl("POST", "/api/generate", body: #"{"prompt": "Hi", "max_tokens": 2, "temperature": 0}"#)
        #expect(jsonObject(byDefault)?["scale_set"] as? String == scaleSet, "\(byDefault)")
        let (_, plain) = try daemon.curl("POST", "/api/generate", body: #"{"prompt": "Hi", "max_tokens": 2, "temperature": 0, "scale_set": "none"}"#)
        #expect(jsonObject(plain)?["scale_set"] == nil, "\(plain)")
    }

    @Test func tuneJobsCanBeCancelledAndBadOnesAreRefused() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "tune", "tune": {"task": "passkey", "samples": 40, "target_tokens": 300, "strategy": "channelwise"}}
            """)
        try #require(status == 201, "\(body)")
        let id = try #require(jsonObject(body)?["id"] as? String)
        var state = ""
        for _ in 0..<300 where state != "running" {
            state = try daemon.job(id)["state"] as? String ?? ""
            usleep(50_000)
        }
        _ = try daemon.curl("POST", "/api/jobs/\(id)/cancel")
        let cancelled = try daemon.waitForJob(id, timeout: 120)
        #expect(cancelled["state"] as? String == "cancelled", "\(cancelled)")

        for (request, expected, fragment) in [
            (#"{"kind": "tune", "tune": {"task": "passkey", "dataset": "ds-x", "target_tokens": 100}}"#, 400, "not both"),
            (#"{"kind": "tune", "tune": {"task": "passkey", "target_tokens": 100, "learning_rate": -1}}"#, 400, "learning_rate"),
            (#"{"kind": "tune", "tune": {"task": "passkey", "target_tokens": 100, "patience": 3}}"#, 400, "validation"),
            (#"{"kind": "tune", "tune": {"task": "passkey", "target_tokens": 100, "strategy": "nope"}}"#, 422, "nope"),
            (#"{"kind": "tune", "tune": {"task": "passkey", "target_tokens": 100, "checkpoint_every": 0}}"#, 400, "checkpoint_every"),
            (#"{"kind": "tune"}"#, 400, "tune"),
        ] {
            let (code, answer) = try daemon.curl("POST", "/api/jobs", body: request)
            #expect(code == expected, "\(request) -> \(code) \(answer)")
            #expect(errorDetail(answer)?.message.contains(fragment) == true, "\(answer)")
        }
    }
}
