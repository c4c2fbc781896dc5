import Foundation
import Testing

/// Every kind of bad request gets a precise 4xx, and the daemon keeps serving.
@Suite("Bad requests are refused precisely (slow: real daemon)", .serialized)
struct BadRequestTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let method: String
        let path: String
        let body: String?
        let status: Int
        let mentions: String
        var extra: [String] = []
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", method: "POST", path: "/api/generate", body: #"{"prompt": "x""#, status: 400, mentions: "not valid JSON"),
        Case(name: "wrong type", method: "POST", path: "/api/generate", body: #"{"prompt": "x", "max_tokens": "ten"}"#,
             status: 400, mentions: "max_tokens"),
        Case(name: "unknown field", method: "POST", path: "/api/generate", body: #"{"prompt": "x", "temprature": 0.5}"#,
             status: 400, mentions: "unknown field 'temprature'"),
        Case(name: "both prompt and messages", method: "POST", path: "/api/generate",
             body: #"{"prompt": "x", "messages": [{"role": "user", "content": "y"}]}"#, status: 400, mentions: "exactly one"),
        Case(name: "impossible temperature", method: "POST", path: "/api/generate", body: #"{"prompt": "x", "temperature": -1}"#,
             status: 400, mentions: "temperature"),
        Case(name: "bad role", method: "POST", path: "/api/generate",
             body: #"{"messages": [{"role": "wizard", "content": "y"}]}"#, status: 400, mentions: "role"),
        Case(name: "prompt beyond the window", method: "POST", path: "/api/generate",
             body: #"{"prompt": "one two three four five six seven eight nine ten", "context_length": 4}"#, status: 422,
             mentions: "context window is 4"),
        Case(name: "unknown context extension", method: "POST", path: "/api/generate",
             body: #"{"prompt": "x", "context_extension": {"plugin": "warp-drive"}}"#, status: 422, mentions: "warp-drive"),
        Case(name: "plugin parameter out of range", method: "POST", path: "/api/generate",
             body: #"{"prompt": "x", "context_extension": {"plugin": "linear", "parameters": {"factor": 5000}}}"#,
             status: 422, mentions: "factor"),
        Case(name: "unknown scale set", method: "POST", path: "/api/generate", body: #"{"prompt": "x", "scale_set": "sc-nope"}"#,
             status: 422, mentions: "sc-nope"),
        Case(name: "job without parameters", method: "POST", path: "/api/jobs", body: #"{"kind": "dataset"}"#,
             status: 400, mentions: "dataset"),
        Case(name: "unknown job kind", method: "POST", path: "/api/jobs", body: #"{"kind": "bake"}"#, status: 400, mentions: "kind"),
        Case(name: "unknown job", method: "GET", path: "/api/jobs/job-missing", body: nil, status: 404, mentions: "job-missing"),
        Case(name: "unknown route", method: "GET", path: "/api/nothing-here", body: nil, status: 404, mentions: "/api/nothing-here"),
        Case(name: "wrong method", method: "DELETE", path: "/api/status", body: nil, status: 405, mentions: "GET"),
        Case(name: "not JSON", method: "POST", path: "/api/generate", body: "prompt=x", status: 415, mentions: "application/json",
             extra: ["-H", "Content-Type: text/plain"]),
        Case(name: "oversized body", method: "POST", path: "/api/generate",
             body: "{\"prompt\": \"" + String(repeating: "a", count: 70_000) + "\"}", status: 413, mentions: "65536"),
    ]

    @Test("Each bad request", arguments: cases)
    func refused(_ bad: Case) throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl(bad.method, bad.path, body: bad.body, extra: bad.extra)
        #expect(status == bad.status, "\(bad.name): got \(status) \(body)")
        let detail = errorDetail(body)
        #expect(detail != nil, "\(bad.name): no error body: \(body)")
        #expect(detail?.message.contains(bad.mentions) == true, "\(bad.name): message lacks '\(bad.mentions)': \(body)")
        // And the daemon still serves.
        #expect(try daemon.curl("GET", "/api/health").status == 200)
    }

    @Test func garbageOnTheSocketDoesNotHurtTheDaemon() throws {
        let daemon = try SharedDaemon.get()
        let result = try runCommand("/bin/sh", ["-c", "printf 'NOT HTTP AT ALL\\r\\n\\r\\n' | timeout 5 socat - UNIX-CONNECT:\(daemon.socketPath) 2>/dev/null || python3 -c \"import socket; s=socket.socket(socket.AF_UNIX); s.connect('\(daemon.socketPath)'); s.sendall(b'NOT HTTP AT ALL\\r\\n\\r\\n'); print(s.recv(200).decode(errors='replace'))\""])
        #expect(result.stdout.contains("400"), "\(result.stdout)")
        #expect(try daemon.curl("GET", "/api/health").status == 200)
    }

    @Test func aClientThatDisconnectsMidStreamFreesItsGeneration() throws {
        let daemon = try SharedDaemon.get()
        // A long generation; curl gives up after 1.5 s.
        _ = try runCommand("/usr/bin/curl", ["-s", "-N", "--max-time", "1.5", "--unix-socket", daemon.socketPath,
                                             "-H", "Content-Type: application/json", "http://localhost/api/generate",
                                             "--data-binary", #"{"prompt": "Write a very long story.", "max_tokens": 4000, "stream": true, "seed": 5}"#])
        let deadline = Date().addingTimeInterval(3)
        var active = -1
        while Date() < deadline {
            let status = jsonObject(try daemon.curl("GET", "/api/status").body)
            active = (status?["generations"] as? [String: Any])?["active"] as? Int ?? -1
            if active == 0 { break }
            usleep(100_000)
        }
        #expect(active == 0, "the generation kept running after its client left")
    }
}
