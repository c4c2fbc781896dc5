import Foundation
import Testing

/// Jobs, persistence across restarts and kill -9, SIGHUP plugin reload,
/// socket activation and readiness, access control.
@Suite("Daemon lifecycle (slow: real daemon, jobs, restarts)", .serialized)
struct LifecycleTests {
    @Test func datasetThenEvalJobsProduceArtifactsThatSurviveARestart() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let (created, body) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "dataset", "dataset": {"task": "passkey", "samples": 3, "target_tokens": 200, "seed": 7}}
            """)
        #expect(created == 201, "\(body)")
        let jobID = try #require(jsonObject(body)?["id"] as? String)
        let job = try daemon.waitForJob(jobID)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let dataset = try #require((job["artifacts"] as? [String])?.first)

        let (evalStatus, evalBody) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "eval", "eval": {"dataset": "\(dataset)", "max_tokens": 12}}
            """)
        #expect(evalStatus == 201, "\(evalBody)")
        let evalJob = try daemon.waitForJob(try #require(jsonObject(evalBody)?["id"] as? String))
        #expect(evalJob["state"] as? String == "succeeded", "\(evalJob)")
        #expect((evalJob["summary"] as? String)?.hasPrefix("accuracy") == true)

        #expect(daemon.stop() == 0)
        try daemon.start()
        let (_, artifacts) = try daemon.curl("GET", "/api/artifacts")
        #expect(artifacts.contains(dataset))
        #expect(artifacts.contains("eval-report"))
        let (_, jobs) = try daemon.curl("GET", "/api/jobs/\(jobID)")
        #expect(jsonObject(jobs)?["state"] as? String == "succeeded")
    }

    @Test func aJobKilledMidWayResumesFromItsCheckpoint() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        // An eval job generates with the model for each sample: slow enough to kill mid-way.
        let id = try daemon.startEvalJob(samples: 8, seed: 3)
        let completed = try daemon.waitForProgress(id, atLeast: 2)
        daemon.kill9()
        try #require(completed >= 2 && completed < 8, "job progressed to \(completed) before the kill")
        try daemon.start()
        let job = try daemon.waitForJob(id, timeout: 180)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        #expect(daemon.output.contains("resuming interrupted job"))
        let report = try #require((job["artifacts"] as? [String])?.first)
        let (_, content) = try daemon.curl("GET", "/api/artifacts/\(report)/content")
        let results = try #require(jsonObject(content)?["results"] as? [[String: Any]])
        #expect(results.map { $0["index"] as? Int } == (0..<8).map { $0 }, "every sample scored exactly once")
    }

    @Test func sighupPicksUpANewCPluginThatCanThenBeUsed() throws {
        let plugins = FileManager.default.temporaryDirectory.appendingPathComponent("seal-plugins-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: plugins) }
        let daemon = try DaemonProcess(pluginDirectories: [BuildProducts.directory.path, plugins.path])
        try daemon.start()
        #expect(!(try daemon.curl("GET", "/api/plugins").body.contains("last-layers")))
        let compiled = try runCommand("/usr/bin/cc", [
            "-shared", "-fPIC", "-I", BuildProducts.packageRoot.appendingPathComponent("Sources/SealPluginABI/include").path,
            BuildProducts.packageRoot.appendingPathComponent("Tests/Fixtures/plugins/last-layers.c").path,
            "-o", plugins.appendingPathComponent("libtest-last-layers.so").path])
        try #require(compiled.status == 0, "cc failed: \(compiled.stdout)")
        daemon.signal(SIGHUP)
        var listed = false
        for _ in 0..<50 where !listed {
            listed = try daemon.curl("GET", "/api/plugins").body.contains("\"name\":\"last-layers\"")
            usleep(100_000)
        }
        #expect(listed)
        let (status, body) = try daemon.curl("POST", "/api/scale-sets", body: """
            {"name": "late-heads", "strategy": "last-layers", "parameters": {"layers": 2}, "values": [\(Array(repeating: "0.9", count: 18).joined(separator: ","))]}
            """)
        #expect(status == 201, "\(body)")
        let id = try #require(jsonObject(body)?["id"] as? String)
        let (generated, answer) = try daemon.curl("POST", "/api/generate", body: """
            {"prompt": "The capital of France is", "max_tokens": 3, "temperature": 0, "scale_set": "\(id)"}
            """)
        #expect(generated == 200, "\(answer)")
        #expect(jsonObject(answer)?["scale_set"] as? String == id)

        // The researcher's point: tune with the new strategy. Its 18 parameters (2 layers x 9
        // heads) train; every head outside the last two layers stays exactly 1.
        let (created, job) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "tune", "tune": {"task": "passkey", "samples": 3, "target_tokens": 100, "seed": 2,
             "strategy": "last-layers", "strategy_parameters": {"layers": 2}, "learning_rate": 0.05}}
            """)
        try #require(created == 201, "\(job)")
        let finished = try daemon.waitForJob(try #require(jsonObject(job)?["id"] as? String), timeout: 300)
        try #require(finished["state"] as? String == "succeeded", "\(finished)")
        let tuned = try #require((finished["artifacts"] as? [String])?.first)
        let content = try #require(jsonObject(try daemon.curl("GET", "/api/artifacts/\(tuned)/content").body))
        #expect(content["strategy"] as? String == "last-layers", "\(content)")
        let values = try #require(content["values"] as? [Double])
        #expect(values.count == 18 && values.contains { $0 != 1 }, "the new strategy's parameters did not train: \(values)")
    }

    @Test func socketActivationAndReadinessNotification() throws {
        let daemon = try DaemonProcess()
        let notifyPath = daemon.directory.appendingPathComponent("notify.sock").path
        let notify = try NotifySocket(path: notifyPath)
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        try daemon.start(launcher: ["/usr/bin/systemd-socket-activate", "-l", daemon.socketPath, "-E", "NOTIFY_SOCKET=\(notifyPath)"],
                         environment: environment)
        // The socket exists before seald runs; the first connection starts it.
        var health = 0
        for _ in 0..<100 where health != 200 {
            health = (try? daemon.curl("GET", "/api/health").status) ?? 0
            usleep(100_000)
        }
        #expect(health == 200)
        let messages = notify.receive(until: { $0.contains("READY=1") }, timeout: 30)
        #expect(messages.contains { $0.contains("READY=1") }, "got: \(messages)")
        #expect(messages.contains { $0.contains("STATUS=") })
        #expect(daemon.output.contains("using the socket passed by systemd"))
        let (_, status) = try daemon.curl("GET", "/api/status")
        #expect(jsonObject(status)?["model"] != nil)
    }

    @Test func stateChangesNeedAdminWhileReadsAreOpen() throws {
        let daemon = try DaemonProcess(extraConfig: "")
        // Let any local user connect, so an unprivileged peer reaches the access check.
        var yaml = try String(contentsOf: daemon.configURL, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "mode: \"0600\"", with: "mode: \"0666\"")
        try yaml.write(to: daemon.configURL, atomically: true, encoding: .utf8)
        try daemon.start()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: daemon.directory.path)
        guard getuid() == 0 else {
            Issue.record("needs root to act as another user (CI runs as root)")
            return
        }
        func asNobody(_ method: String, _ path: String) throws -> CommandResult {
            try runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/curl", "-s",
                                                "-w", "\n%{http_code}", "--unix-socket", daemon.socketPath, "-X", method,
                                                "http://localhost\(path)"])
        }
        let read = try asNobody("GET", "/api/status")
        #expect(read.stdout.hasSuffix("200"), "\(read.stdout)")
        let write = try asNobody("POST", "/api/models/unload")
        #expect(write.stdout.hasSuffix("403"), "\(write.stdout)")
        #expect(write.stdout.contains("65534"))
        #expect(try daemon.curl("GET", "/api/status").body.contains("\"loaded\":true"), "the model must still be loaded")
    }
}

/// A datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    let fd: Int32
    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw DaemonError.notReady("cannot bind notify socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive(until done: (String) -> Bool, timeout: TimeInterval) -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 {
                let message = String(decoding: buffer[0..<n], as: UTF8.self)
                messages.append(message)
                if done(message) { break }
            }
        }
        return messages
    }

    deinit { close(fd) }
}
