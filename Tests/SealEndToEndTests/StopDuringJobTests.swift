import Foundation
import SealTestSupport
import Testing

/// SIGTERM while a job runs (issue 6): the daemon stops promptly instead of waiting for
/// the job, even with a client following the job's events (as `sealctl ... --wait`
/// does), and the job resumes from its checkpoint at the next start.
@Suite("Stopping during a job (slow: real daemon, eval job)", .serialized)
struct StopDuringJobTests {
    @Test func sigtermDuringAnEvalJobStopsPromptlyAndTheJobResumes() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let id = try daemon.startEvalJob(samples: 8, seed: 5)
        // A client following the job's events, as `sealctl eval run --wait` does.
        let follower = try Subprocess("/usr/bin/curl", ["-s", "-N", "--unix-socket", daemon.socketPath,
                                                        "http://localhost/api/jobs/\(id)/events"])
        defer { LiveChildren.end([follower.pid], grace: 1) }
        let completed = try daemon.waitForProgress(id, atLeast: 1)
        try #require(completed >= 1 && completed < 8, "job progressed to \(completed) before the stop")

        let start = Date()
        let status = daemon.stop(timeout: 60)
        let seconds = Date().timeIntervalSince(start)
        #expect(status == 0, "\(daemon.output.suffix(2000))")
        #expect(seconds < 5, "seald took \(seconds) s to stop with a job running")
        #expect(daemon.output.contains("jobs interrupted"), "\(daemon.output.suffix(2000))")

        try daemon.start()
        let job = try daemon.waitForJob(id, timeout: 180)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        #expect(daemon.output.contains("resuming"))
        let report = try #require((job["artifacts"] as? [String])?.first)
        let (_, content) = try daemon.curl("GET", "/api/artifacts/\(report)/content")
        let results = try #require(jsonObject(content)?["results"] as? [[String: Any]])
        #expect(results.map { $0["index"] as? Int } == (0..<8).map { $0 }, "every sample scored exactly once")
    }
}
