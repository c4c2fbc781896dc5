import Foundation
import SealAPI
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built `sealctl` binary: exit codes, messages and output, against a missing socket and
/// the fake daemon.
@Suite("sealctl")
struct ClientCLITests {
    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func missingDaemonExits69WithAHint() async throws {
        let path = "/tmp/seal-test-missing-\(UUID().uuidString.prefix(8)).sock"
        let result = try await Sealctl.run(["--socket", path, "status"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("seald is not running (no socket at \(path))"))
        #expect(result.stderr.contains("systemctl start seald.socket"))

        let fromEnvironment = try await Sealctl.run(["models", "list"], environment: ["SEAL_SOCKET": path])
        #expect(fromEnvironment.status == 69)
        #expect(fromEnvironment.stderr.contains("no socket at \(path)"))
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func helpListsCommandsAndExitCodes() async throws {
        let result = try await Sealctl.run(["--help"])
        #expect(result.status == 0)
        for command in ["status", "models", "generate", "chat", "tokenize", "plugins", "data", "eval", "jobs", "scales", "config"] {
            #expect(result.stdout.contains("\n  \(command) "), "help lists \(command)")
        }
        for code in ["64", "65", "69", "70", "75", "77"] { #expect(result.stdout.contains("  \(code)  ")) }
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func usageErrorsExit64() async throws {
        #expect(try await Sealctl.run(["generate"]).status == 64)
        #expect(try await Sealctl.run(["generate", "--extension-param", "a=1", "hi"]).status == 64)
        #expect(try await Sealctl.run(["data", "create", "--task", "passkey", "--samples", "0", "--tokens", "10"]).status == 64)
    }

    /// As root, runs sealctl as `nobody` (through setpriv) against a socket of group `daemon`.
    @Test(.enabled(if: Sealctl.url != nil && (geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")),
                   "needs a non-root user or setpriv"))
    func socketOfAnotherGroupExits77NamingTheGroup() async throws {
        let server = try FakeServer([.send(Reply.http(body: "{}"))])
        defer { server.stop() }
        let result: Sealctl.Result
        if geteuid() == 0 {
            chown(server.socketPath, 0, 1)  // group 1 is `daemon` on Debian and its derivatives
            chmod(server.socketPath, 0o660)
            result = try await Sealctl.run(["--socket", server.socketPath, "status"], asNobody: true)
            if let group = getgrgid(1)?.pointee.gr_name { #expect(result.stderr.contains("join the '\(String(cString: group))' group")) }
        } else {
            chmod(server.socketPath, 0)
            result = try await Sealctl.run(["--socket", server.socketPath, "status"])
        }
        #expect(result.status == 77)
        #expect(result.stderr.contains("permission denied on \(server.socketPath)"))
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func generateStreamsTokensToStdout() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.event("token", #"{"text":"Hello"}"#)),
                                     .pause(milliseconds: 20), .send(Reply.event("token", #"{"text":" world"}"#)),
                                     .send(Reply.event("done", Reply.json(ClientStreamingTests.done))), .send(Reply.lastChunk)])
        defer { server.stop() }
        let result = try await Sealctl.run(["--socket", server.socketPath, "generate", "Hi", "--max-tokens", "2", "--stop", "\n",
                                            "--extension", "linear", "--extension-param", "factor=2"])
        #expect(result.status == 0)
        #expect(result.stdout == "Hello world\n")
        let body = try #require(server.requests.first?.json)
        #expect(body["prompt"] as? String == "Hi")
        #expect(body["max_tokens"] as? Int == 2)
        #expect(body["stop"] as? [String] == ["\n"])
        let choice = try #require(body["context_extension"] as? [String: Any])
        #expect(choice["plugin"] as? String == "linear")
        #expect((choice["parameters"] as? [String: Any])?["factor"] as? Double == 2)
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func refusedRequestExits65AndServerErrorExits70() async throws {
        let refusal = Reply.json(ErrorResponse(code: "not_found", message: "no job j9"))
        let refused = try FakeServer([.send(Reply.http(404, "Not Found", body: refusal))])
        defer { refused.stop() }
        let first = try await Sealctl.run(["--socket", refused.socketPath, "jobs", "show", "j9"])
        #expect(first.status == 65)
        #expect(first.stderr.contains("no job j9"))

        let failure = Reply.json(ErrorResponse(code: "internal", message: "disk full"))
        let broken = try FakeServer([.send(Reply.http(500, "Internal Server Error", body: failure))])
        defer { broken.stop() }
        #expect(try await Sealctl.run(["--socket", broken.socketPath, "status"]).status == 70)
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func jsonPrintsTheDaemonsBytes() async throws {
        let body = #"{"plugins":[],"errors":[],"extra_field":1}"#
        let server = try FakeServer([.send(Reply.http(body: body))])
        defer { server.stop() }
        let result = try await Sealctl.run(["plugins", "--json", "--socket", server.socketPath])
        #expect(result.status == 0)
        #expect(result.stdout == body + "\n")
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func followingAFailedJobExits70() async throws {
        let request = CreateJobRequest(kind: .eval, eval: EvalJobParameters(dataset: "ds-1"))
        var job = Job(id: "j2", kind: .eval, name: nil, state: .running, createdAt: Date(), startedAt: Date(),
                      progress: JobProgress(completed: 1, total: 4, message: "sample 1"), request: request)
        let progress = Reply.json(job)
        job.state = .failed
        job.error = "model unloaded"
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.event("progress", progress)),
                                     .send(Reply.event("done", Reply.json(job))), .send(Reply.lastChunk)])
        defer { server.stop() }
        let result = try await Sealctl.run(["--socket", server.socketPath, "jobs", "follow", "j2"])
        #expect(result.status == 70)
        #expect(result.stdout.contains("j2 running 1/4 (25%)"))
        #expect(result.stderr.contains("job j2 failed: model unloaded"))
    }

    /// The daemon ends every response after its request timeout, event streams too; a job that
    /// outlives it (tuning) is followed again rather than reported as a broken stream.
    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func followingReconnectsWhenTheStreamEndsBeforeTheJob() async throws {
        let request = CreateJobRequest(kind: .tune, tune: TuneJobParameters(task: "lines", targetTokens: 600))
        var job = Job(id: "j3", kind: .tune, name: nil, state: .running, createdAt: Date(), startedAt: Date(),
                      progress: JobProgress(completed: 2, total: 4, message: "step 2/4  loss 0.5", loss: 0.5), request: request)
        let early = Reply.json(job)
        job.state = .succeeded
        job.progress.completed = 4
        job.summary = "4 steps"
        let done = Reply.json(job)
        let connections = LockedCounter()
        let server = try FakeServer { _ in
            connections.increment() == 1
                ? [.send(Reply.eventStreamHead), .send(Reply.event("progress", early)), .send(Reply.lastChunk)]
                : [.send(Reply.eventStreamHead), .send(Reply.event("done", done)), .send(Reply.lastChunk)]
        }
        defer { server.stop() }
        let result = try await Sealctl.run(["--socket", server.socketPath, "jobs", "follow", "j3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("job j3 succeeded"))
        #expect(server.requests.count == 2)
    }

    @Test(.enabled(if: Sealctl.url != nil, "sealctl is not built next to the tests"))
    func interruptStopsTheGenerationAndExits75() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead),
                                     .repeatUntilDisconnect(Reply.event("token", #"{"text":"x"}"#), milliseconds: 20)])
        defer { server.stop() }
        let result = try await Sealctl.run(["--socket", server.socketPath, "generate", "forever"], interruptAfter: .milliseconds(500))
        #expect(result.status == 75)
        #expect(result.stdout.hasPrefix("xx"))
        #expect(await server.waitForDisconnects(1, seconds: 10))
    }
}

/// Finds and runs the `sealctl` built with the tests.
enum Sealctl {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `sealctl` in the build products directory that holds this test bundle (or `$SEALCTL`).
    static let url: URL? = {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["SEALCTL"], fileManager.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        var starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments.first ?? ".")]
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        for start in starts {
            var directory = start.resolvingSymlinksInPath()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("sealctl")
                if fileManager.isExecutableFile(atPath: candidate.path), !candidate.hasDirectoryPath { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        return nil
    }()

    /// Runs sealctl on a thread of its own, optionally sending SIGINT after a delay.
    static func run(_ arguments: [String], environment: [String: String] = [:], interruptAfter: Duration? = nil,
                    asNobody: Bool = false) async throws -> Result {
        guard let url else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", url.path] + arguments
        } else {
            process.executableURL = url
            process.arguments = arguments
        }
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SEAL_SOCKET")
        merged.merge(environment) { $1 }
        process.environment = merged
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("out")
        let errURL = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let interruptAfter {
            try await Task.sleep(for: interruptAfter)
            process.interrupt()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiter = Thread {
                process.waitUntilExit()
                continuation.resume()
            }
            waiter.start()
        }
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

/// A thread-safe counter for fake-server scripts.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// The count after this call.
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
