import Foundation
import SealServer
import Testing

/// ``HTTPServer/updateLimits(_:)``: what a configuration reload changes takes effect
/// on the running server, without a restart.
@Suite("Limits changed while serving")
struct LimitsUpdateTests {
    @Test func theBodyLimitAndTheConnectionCapFollowAnUpdate() async throws {
        try await withTestServer(SlowClientTests.router(), configure: { $0.limits.maxRequestBodyBytes = 8 }) { path, server in
            let body = String(repeating: "x", count: 100)
            #expect(try await onThread { try RawHTTPClient(path: path).request("POST", "/v1/echo", body: body).status } == 413)

            var limits = server.limits
            limits.maxRequestBodyBytes = 1000
            limits.maxConnections = 1
            server.updateLimits(limits)
            #expect(server.limits == limits)

            try await onThread {
                // The connection refused with 413 may take a moment to leave the count.
                var first = try RawHTTPClient(path: path, timeout: 10)
                var reply = try first.request("POST", "/v1/echo", body: body)
                for _ in 0..<100 where reply.status == 503 {
                    usleep(20_000)
                    first = try RawHTTPClient(path: path, timeout: 10)
                    reply = try first.request("POST", "/v1/echo", body: body)
                }
                #expect(reply.text == "got 100 bytes")
                let second = try RawHTTPClient(path: path, timeout: 10)
                #expect(try second.readReply().status == 503)
            }
        }
    }

    @Test func theDeadlinesAndTheRequestTimeoutFollowAnUpdate() async throws {
        try await withTestServer(SlowClientTests.router()) { path, server in
            var limits = server.limits
            limits.headTimeout = .milliseconds(200)
            limits.requestTimeout = .milliseconds(100)
            server.updateLimits(limits)
            try await onThread {
                let slow = try RawHTTPClient(path: path, timeout: 10)
                #expect(try slow.request("GET", "/v1/slow").status == 503)  // 300 ms handler, 100 ms timeout
                let partial = try RawHTTPClient(path: path, timeout: 10)
                try partial.send("GET /v1/health HTTP/1.1\r\n")
                #expect(try partial.readReply().status == 408)
            }
        }
    }
}
