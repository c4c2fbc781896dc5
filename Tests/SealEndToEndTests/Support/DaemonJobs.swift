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

    /// Runs the built sealctl against this daemon's socket.
    func sealctl(_ arguments: [String], timeout: TimeInterval = 180) throws -> CommandResult {
        try runCommand(BuildProducts.binary("sealctl").path, ["--socket", socketPath] + arguments, timeout: timeout)
    }
}
