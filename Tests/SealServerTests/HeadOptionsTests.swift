import Foundation
import NIOHTTP1
import SealServer
import Testing

/// `HEAD` and `OPTIONS` as HTTP/1.1 expects (RFC 9110 §9.3.2, §9.3.7) instead of 405.
@Suite("HEAD and OPTIONS over a Unix socket")
struct HeadOptionsTests {
    static func router() -> Router {
        var router = sampleRouter()
        router.get("/v1/events") { _, _ in
            .serverSentEvents { events in try await events.send(data: "never sent to a HEAD request") }
        }
        return router
    }

    /// A HEAD gets the GET route's status and headers, Content-Length included,
    /// and no body: the next response on the connection starts right after the head.
    @Test func headAnswersLikeGetWithoutTheBody() async throws {
        try await withTestServer(Self.router()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                try client.send("HEAD /v1/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let head = try client.readHead()
                #expect(head.status == 200)
                #expect(head.headers["content-length"] == "5")
                #expect(head.headers["content-type"] == "text/plain; charset=utf-8")
                // A streamed GET: the head only, then the connection carries on.
                try client.send("HEAD /v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
                let stream = try client.readHead()
                #expect(stream.status == 200)
                #expect(stream.headers["content-type"] == "text/event-stream; charset=utf-8")
                let next = try client.request("GET", "/v1/hello")
                #expect(next.status == 200 && next.text == "hello")
                // HEAD on a path without GET is 405 naming what it answers.
                try client.send("HEAD /v1/greet HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                let refused = try client.readHead()
                #expect(refused.status == 405)
                #expect(refused.headers["allow"] == "POST, OPTIONS")
            }
        }
    }

    @Test func optionsListsThePathsMethodsAndStarListsAll() async throws {
        try await withTestServer(Self.router()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let models = try client.request("OPTIONS", "/v1/models/x")
                #expect(models.status == 204)
                #expect(models.headers["allow"] == "GET, HEAD, DELETE, OPTIONS")
                #expect(models.body.isEmpty)
                let all = try client.request("OPTIONS", "*")
                #expect(all.status == 204)
                #expect(all.headers["allow"] == "GET, HEAD, POST, DELETE, OPTIONS")
                #expect(try client.request("OPTIONS", "/v1/nothing").status == 404)
                #expect(try client.request("GET", "/v1/hello").text == "hello")
            }
        }
    }

    @Test func theInProcessRouterAnswersTheSame() async throws {
        let router = Self.router()
        let context = Context(peer: PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid()))
        let options = await router.respond(to: Request(method: .OPTIONS, uri: "/v1/hello", path: "/v1/hello"), context: context)
        #expect(options.status == .noContent)
        #expect(options.headers["Allow"] == ["GET, HEAD, OPTIONS"])
        let head = await router.respond(to: Request(method: .HEAD, uri: "/v1/hello", path: "/v1/hello"), context: context)
        #expect(head.status == .ok)
    }
}
