import Foundation
import Testing

/// What the end-to-end suites do against a running daemon besides single requests:
/// read and wait for jobs, run sealctl on its socket. One copy here, so every suite
/// polls and times out the same way.
extension DaemonProcess {
    /// The job's record as `GET /api/jobs/{id}` reports it.
    func job(_ id: String) throws -> [String: Any] {
        try #require(jsonObject(try curl("GET", "/api/jobs/\(id)").body))
    }

    /// Polls the job until it is finished (succeeded, failed or cancelled) and returns its record.
    func waitForJob(_ id: String, timeout: TimeInterval = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let job = jsonObject(try curl("GET", "/api/jobs/\(id)").body),
               let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) {
                return job
            }
            usleep(200_000)
        }
        throw DaemonError.notReady("job \(id) did not finish")
    }

    /// Makes a passkey dataset of `samples` samples, then starts an eval job on it (one
    /// generation per sample: slow enough to interrupt mid-way); returns the eval job's id.
    func startEvalJob(samples: Int, seed: Int) throws -> String {
        let (_, made) = try curl("POST", "/api/jobs", body: """
            {"kind": "dataset", "dataset": {"task": "passkey", "samples": \(samples), "target_tokens": 400, "seed": \(seed)}}
            """)
        let datasetJob = try waitForJob(try #require(jsonObject(made)?["id"] as? String))
        let dataset = try #require((datasetJob["artifacts"] as? [String])?.first)
        let (_, body) = try curl("POST", "/api/jobs", body: """
            {"kind": "eval", "eval": {"dataset": "\(dataset)", "max_tokens": 24}}
            """)
        return try #require(jsonObject(body)?["id"] as? String)
    }

    /// Polls until the job has completed at least `count` samples (or a minute passed); returns the count.
    func waitForProgress(_ id: String, atLeast count: Int) throws -> Int {
        let deadline = Date().addingTimeInterval(60)
        var completed = 0
        while Date() < deadline && completed < count {
            completed = ((try job(id)["progress"] as? [String: Any])?["completed"] as? Int) ?? 0
            usleep(50_000)
        }
        return completed
    }

    /// Runs the built sealctl against this daemon's socket.
    func sealctl(_ arguments: [String], timeout: TimeInterval = 180) throws -> CommandResult {
        try runCommand(BuildProducts.binary("sealctl").path, ["--socket", socketPath] + arguments, timeout: timeout)
    }
}
