import Foundation
import SealAPI
import Testing
import SealClient
#if canImport(Glibc)
import Glibc
#endif

/// How SealClient reports a missing daemon, refusals, broken answers and slow ones.
@Suite("SealClient errors")
struct ClientErrorTests {
    @Test func missingSocketMeansDaemonNotRunning() async throws {
        let path = "/tmp/seal-test-missing-\(UUID().uuidString.prefix(8)).sock"
        let client = SealClient(socketPath: path)
        await #expect(throws: ClientError.daemonNotRunning(socketPath: path, errno: ENOENT)) {
            _ = try await client.status()
        }
        let message = ClientError.daemonNotRunning(socketPath: "/run/seal/seald.sock", errno: ENOENT).description
        #expect(message == "seald is not running (no socket at /run/seal/seald.sock). Start it with `systemctl start seald.socket` "
            + "or run `seald`; or point sealctl at another socket with --socket / SEAL_SOCKET.")
    }

    @Test func staleSocketMeansDaemonNotRunning() async throws {
        let path = FakeServer.temporarySocketPath()
        let fd = try FakeServer.bound(at: path)  // bound, never listening: connect is refused
        defer { close(fd); unlink(path) }
        await #expect(throws: ClientError.daemonNotRunning(socketPath: path, errno: ECONNREFUSED)) {
            _ = try await SealClient(socketPath: path).health()
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root may connect to any socket"))
    func unreadableSocketMeansPermissionDenied() async throws {
        let server = try FakeServer([.send(Reply.http(body: "{}"))])
        defer { server.stop() }
        chmod(server.socketPath, 0)
        let error = await #expect(throws: ClientError.self) { _ = try await SealClient(socketPath: server.socketPath).health() }
        guard case .permissionDenied(let path, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == server.socketPath)
        #expect(error?.description.contains("join the") == true)
    }

    @Test func errorResponseBecomesServerError() async throws {
        let body = Reply.json(ErrorResponse(code: "unprocessable", message: "temperature must be 0 or more"))
        let server = try FakeServer([.send(Reply.http(422, "Unprocessable Entity", body: body))])
        defer { server.stop() }
        await #expect(throws: ClientError.server(status: 422, code: "unprocessable", message: "temperature must be 0 or more")) {
            _ = try await SealClient(socketPath: server.socketPath).generate(GenerateRequest(prompt: "x", temperature: -1))
        }
    }

    @Test func nonJSONErrorBodyStillReads() async throws {
        let server = try FakeServer([.send(Reply.http(503, "Service Unavailable", body: "overloaded\n", contentType: "text/plain"))])
        defer { server.stop() }
        await #expect(throws: ClientError.server(status: 503, code: "internal", message: "overloaded")) {
            _ = try await SealClient(socketPath: server.socketPath).health()
        }
    }

    @Test func undecodableBodyIsAProtocolErrorNamingTheRoute() async throws {
        let server = try FakeServer([.send(Reply.http(body: #"{"version":1}"#))])
        defer { server.stop() }
        let error = await #expect(throws: ClientError.self) { _ = try await SealClient(socketPath: server.socketPath).status() }
        guard case .protocolError(let message)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.hasPrefix("GET /api/status: "))
    }

    @Test func garbageStatusLineIsAProtocolError() async throws {
        let server = try FakeServer([.send("SSH-2.0-OpenSSH\r\n\r\n")])
        defer { server.stop() }
        let error = await #expect(throws: ClientError.self) { _ = try await SealClient(socketPath: server.socketPath).health() }
        guard case .protocolError? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func truncatedBodyIsAProtocolError() async throws {
        let server = try FakeServer([.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"status\"")])
        defer { server.stop() }
        await #expect(throws: ClientError.protocolError("the connection closed before the response body was complete")) {
            _ = try await SealClient(socketPath: server.socketPath).health()
        }
    }

    @Test func silentDaemonTimesOut() async throws {
        let server = try FakeServer([.waitForDisconnect])
        defer { server.stop() }
        let client = SealClient(socketPath: server.socketPath, timeout: .milliseconds(200))
        let start = ContinuousClock.now
        await #expect(throws: ClientError.timeout) { _ = try await client.health() }
        // Generous bound: the point is that it ends, not how fast a loaded machine schedules it.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test func cancellingARequestDisconnectsAtOnce() async throws {
        let server = try FakeServer([.waitForDisconnect])
        defer { server.stop() }
        let client = SealClient(socketPath: server.socketPath)
        let task = Task { try await client.health() }
        // Cancel only once the request is in flight: cancelling before the connection exists
        // never connects at all, and there would be no disconnect to see.
        #expect(await server.waitForRequests(1))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(await server.waitForDisconnects(1))
    }
}
