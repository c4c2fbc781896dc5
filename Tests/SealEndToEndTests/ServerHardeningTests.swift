import Foundation
import SealTestSupport
import Testing

/// Nested bodies and reloaded server limits against the real seald (its own
/// instance: default body limit, a configuration the test rewrites).
@Suite("Server hardening (slow: real daemon)", .serialized)
struct ServerHardeningTests {
    static func nestedObjects(_ depth: Int, padding: Int) -> String {
        let pad = padding > 0 ? "\"pad\":\"" + String(repeating: "p", count: padding) + "\"," : ""
        return String(repeating: "{\(pad)\"n\":", count: depth) + "1" + String(repeating: "}", count: depth)
    }

    @Test(.timeLimit(.minutes(2)))
    func healthAnswersWhileDeeplyNestedBodiesAreRefused() async throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let prefix = #"{"prompt":"hi","context_extension":{"plugin":"linear","parameters":{"f":"#
        let bodies = [
            prefix + Self.nestedObjects(487, padding: 135) + "}}}",  // ~490 levels, ~73 KB
            prefix + "[" + Array(repeating: Self.nestedObjects(480, padding: 0), count: 210).joined(separator: ",") + "]}}}",
        ]
        var files: [String] = []
        for (index, body) in bodies.enumerated() {
            let url = daemon.directory.appendingPathComponent("nested-\(index).json")
            try body.write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        #expect(bodies[1].utf8.count > 590_000)

        // Two of each at once, while health is asked for.
        let answers = try await withThrowingTaskGroup(of: (Int, String, Duration).self) { group in
            for file in files + files {
                group.addTask {
                    try await onThread {
                        let started = ContinuousClock.now
                        let (status, body) = try daemon.curl(
                            "POST", "/api/generate", extra: ["-H", "Content-Type: application/json", "--data-binary", "@\(file)"])
                        return (status, body, ContinuousClock.now - started)
                    }
                }
            }
            let health = try await onThread {
                let started = ContinuousClock.now
                let status = try daemon.curl("GET", "/api/health").status
                return (status, ContinuousClock.now - started)
            }
            #expect(health.0 == 200)
            #expect(health.1 < .seconds(10), "health took \(health.1) while nested bodies were sent")
            var answers: [(Int, String, Duration)] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }
        #expect(answers.count == 4)
        for (status, body, duration) in answers {
            #expect(status == 400, "\(body.prefix(200))")
            #expect(errorDetail(body)?.message == "the body nests arrays and objects deeper than the limit of 64 levels")
            #expect(duration < .seconds(20), "refused only after \(duration)")
        }
    }

    @Test func reloadAppliesServerLimitsAndNamesKeysThatNeedARestart() throws {
        let daemon = try DaemonProcess(model: nil, extraConfig: "limits:\n  max_request_bytes: 1000\n")
        try daemon.start()
        defer { daemon.stop() }
        let body = #"{"text":"\#(String(repeating: "a", count: 2000))"}"#
        #expect(try daemon.curl("POST", "/api/tokenize", body: body).status == 413)

        var yaml = try String(contentsOf: daemon.configURL, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "max_request_bytes: 1000", with: "max_request_bytes: 100000")
            .replacingOccurrences(of: "mode: \"0600\"", with: "mode: \"0640\"")
        yaml += "server:\n  max_connections: 64\n"
        try yaml.write(to: daemon.configURL, atomically: true, encoding: .utf8)

        let (status, answer) = try daemon.curl("POST", "/api/reload")
        #expect(status == 200, "\(answer)")
        let restart = jsonObject(answer)?["restart_required"] as? [String]
        #expect(restart == ["socket.mode"])
        #expect(try daemon.curl("POST", "/api/tokenize", body: body).status != 413)
        let config = jsonObject(try daemon.curl("GET", "/api/config").body)
        #expect((config?["server"] as? [String: Any])?["max_connections"] as? Int == 64)
        #expect((config?["socket"] as? [String: Any])?["mode"] as? String == "0600")
        #expect(daemon.output.contains("socket.mode"), "the log does not name the key that needs a restart")

        // SIGHUP does the same.
        try yaml.replacingOccurrences(of: "max_request_bytes: 100000", with: "max_request_bytes: 1000")
            .write(to: daemon.configURL, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        var refused = false
        for _ in 0..<100 where !refused {
            usleep(50_000)
            refused = try daemon.curl("POST", "/api/tokenize", body: body).status == 413
        }
        #expect(refused, "SIGHUP did not apply limits.max_request_bytes")
    }
}
