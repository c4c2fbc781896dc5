import Foundation
import SealServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test func inFlightRequestFinishesBeforeShutdownReturns() async throws {
        let entered = Gate()
        var router = Router()
        router.get("/v1/work") { _, _ in
            entered.open()
            // Long enough that the shutdown below starts first even on a loaded machine.
            try await Task.sleep(for: .milliseconds(1500))
            return .text("done")
        }
        try await withTestServer(router) { path, server in
            async let reply = onThread { try RawHTTPClient(path: path).request("GET", "/v1/work") }
            try await entered.wait()
            // An idle keep-alive connection is closed at once by a graceful shutdown.
            let idle = try RawHTTPClient(path: path)
            let started = ContinuousClock.now
            await server.shutdown(gracefully: true)
            let waited = ContinuousClock.now - started
            let response = try await reply
            #expect(response.status == 200)
            #expect(response.text == "done")
            #expect(response.headers["connection"] == "close")
            #expect(waited >= .milliseconds(200), "shutdown returned before the request finished")
            #expect(try await onThread { try idle.isClosedByPeer() })
            #expect(access(path, F_OK) != 0, "the socket file should be removed")
            #expect(throws: (any Error).self) { try RawHTTPClient(path: path) }
        }
    }

    @Test func gracePeriodBoundsTheWait() async throws {
        let entered = Gate()
        let cancelled = Box<Bool>()
        var router = Router()
        router.get("/v1/stuck") { _, _ in
            entered.open()
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelled.set(true)
                throw error
            }
            return .text("never")
        }
        try await withTestServer(router, configure: { $0.shutdownGracePeriod = .milliseconds(200) }) { path, server in
            let client = try RawHTTPClient(path: path)
            try client.send("GET /v1/stuck HTTP/1.1\r\nHost: x\r\n\r\n")
            try await entered.wait()
            let started = ContinuousClock.now
            await server.shutdown(gracefully: true)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(cancelled.value == true)
            #expect(try await onThread { try client.isClosedByPeer() })
        }
    }
}
