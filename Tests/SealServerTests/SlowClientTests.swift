import Foundation
import SealServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Clients that send too slowly, too many connections, and half-closed connections,
/// over the real socket.
@Suite("Slow clients and the connection cap")
struct SlowClientTests {
    static func router() -> Router {
        var router = Router()
        router.get("/v1/health") { _, _ in .text("ok") }
        router.post("/v1/echo") { request, _ in .text("got \(request.body.readableBytes) bytes") }
        router.get("/v1/slow") { _, _ in
            try await Task.sleep(for: .milliseconds(300))
            return .text("slow but complete")
        }
        return router
    }

    /// Reads the 408 a slow client gets, and that the server then closes.
    static func expectTimedOut(_ client: RawHTTPClient, part: String) throws {
        let reply = try client.readReply()
        #expect(reply.status == 408)
        #expect(reply.text.contains("\"request_timeout\""))
        #expect(reply.text.contains("request \(part) did not arrive"), "\(reply.text)")
        #expect(reply.headers["connection"] == "close")
        #expect(try client.isClosedByPeer())
    }

    @Test func aPartialHeadIsAnswered408AndClosedAtTheHeadDeadline() async throws {
        try await withTestServer(Self.router(), configure: { $0.limits.headTimeout = .milliseconds(300) }) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path, timeout: 10)
                let started = Date()
                try client.send("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                try Self.expectTimedOut(client, part: "head")
                #expect(Date().timeIntervalSince(started) < 5)
            }
        }
    }

    @Test func aHeadDribbledByteByByteStillMeetsTheDeadline() async throws {
        // Each byte resets any idle timer; the deadline counts from the first one.
        try await withTestServer(Self.router(), configure: { $0.limits.headTimeout = .milliseconds(400) }) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path, timeout: 10)
                let started = Date()
                for byte in "GET /v1/health HTTP/1.1\r\nHost: x\r\n" {
                    guard (try? client.send(String(byte))) != nil else { break }
                    usleep(100_000)
                    if Date().timeIntervalSince(started) > 1.5 { break }
                }
                try Self.expectTimedOut(client, part: "head")
                #expect(Date().timeIntervalSince(started) < 5)
            }
        }
    }

    @Test func aPartialBodyIsAnswered408AndClosedAtTheBodyDeadline() async throws {
        try await withTestServer(Self.router(), configure: { $0.limits.bodyTimeout = .milliseconds(300) }) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path, timeout: 10)
                let started = Date()
                try client.send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
                try Self.expectTimedOut(client, part: "body")
                #expect(Date().timeIntervalSince(started) < 5)
            }
        }
    }

    @Test func aSilentKeptAliveConnectionIsGovernedByTheIdleTimeoutNotTheHeadDeadline() async throws {
        try await withTestServer(Self.router(), configure: { $0.limits.headTimeout = .milliseconds(200) }) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path, timeout: 10)
                #expect(try client.request("GET", "/v1/health").status == 200)
                usleep(600_000)  // three head deadlines of silence between requests
                #expect(try client.request("POST", "/v1/echo", body: "hello").text == "got 5 bytes")
            }
        }
    }

    @Test func aClientThatHalfClosesAfterItsRequestGetsTheWholeResponse() async throws {
        try await withTestServer(Self.router()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path, timeout: 10)
                try client.send("GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n")
                client.finishSending()
                let reply = try client.readReply()
                #expect(reply.status == 200)
                #expect(reply.text == "slow but complete")
                #expect(try client.isClosedByPeer())
            }
        }
    }

    @Test func connectionsBeyondTheCapAreRefusedWith503WhileTheOthersAreServed() async throws {
        try await withTestServer(Self.router(), configure: { $0.limits.maxConnections = 3 }) { path, _ in
            try await onThread {
                // Three kept-alive connections, each known to the server (answered once).
                let held = try (0..<3).map { _ in try RawHTTPClient(path: path, timeout: 10) }
                for client in held { #expect(try client.request("GET", "/v1/health").status == 200) }

                let refused = try RawHTTPClient(path: path, timeout: 10)
                let reply = try refused.readReply()
                #expect(reply.status == 503)
                #expect(reply.text.contains("\"too_many_connections\""))
                #expect(reply.text.contains("server.max_connections"))
                #expect(reply.headers["connection"] == "close")
                #expect(try refused.isClosedByPeer())

                // The connections within the cap are still served.
                #expect(try held[0].request("GET", "/v1/health").status == 200)

                // Once one closes, a new client gets in.
                held[2].close()
                var status = 0
                for _ in 0..<100 where status != 200 {
                    usleep(20_000)
                    let fresh = try RawHTTPClient(path: path, timeout: 10)
                    status = (try? fresh.request("GET", "/v1/health", headers: ["Connection": "close"]).status) ?? 0
                }
                #expect(status == 200)
            }
        }
    }
}
