import Foundation
import NIOHTTP1
import SealServer
import Testing

struct Greeting: Codable, Sendable {
    var name: String
    var count: Int
}

/// A router that exercises the request API.
func sampleRouter() -> Router {
    var router = Router()
    router.get("/v1/hello") { _, _ in .text("hello") }
    router.get("/v1/models/:name") { request, _ in
        try .json(["name": try request.parameter("name"), "verbose": request.query["verbose"] ?? "-"])
    }
    router.get("/v1/models/default") { _, _ in .text("the default") }
    router.post("/v1/greet", access: .read) { request, _ in
        let greeting = try request.decode(Greeting.self)
        return try .json(["text": String(repeating: "hi \(greeting.name) ", count: greeting.count)])
    }
    router.delete("/v1/models/:name") { _, _ in .noContent }
    router.get("/v1/teapot") { _, _ in throw HTTPError(.tooManyRequests, code: "queue_full", message: "try later") }
    router.get("/v1/crash") { _, _ in throw CocoaError(.fileNoSuchFile) }
    router.get("/v1/whoami") { _, context in
        try .json(["uid": Int(context.peer.uid), "gid": Int(context.peer.gid), "pid": Int(context.peer.pid)])
    }
    router.get("/v1/request-id") { _, context in .text(context.requestID) }
    return router
}

@Suite("HTTP server over a Unix socket")
struct ServerRoutingTests {
    @Test func routesParametersAndQuery() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let hello = try client.request("GET", "/v1/hello")
                #expect(hello.status == 200)
                #expect(hello.text == "hello")
                #expect(hello.headers["x-request-id"] != nil)
                // keep-alive: a second request on the same connection
                let model = try client.request("GET", "/v1/models/smol%20lm?verbose=yes")
                #expect(model.status == 200)
                #expect(model.text == #"{"name":"smol lm","verbose":"yes"}"#)
                #expect(model.headers["content-type"] == "application/json")
                // a literal segment wins over a parameter
                #expect(try client.request("GET", "/v1/models/default").text == "the default")
                #expect(try client.request("GET", "/v1/hello/").status == 200)
                // 204 carries neither a body nor Content-Length, and the connection stays usable
                let deleted = try client.request("DELETE", "/v1/models/x")
                #expect(deleted.status == 204)
                #expect(deleted.headers["content-length"] == nil)
                #expect(try client.request("GET", "/v1/hello").status == 200)
            }
        }
    }

    @Test func unknownRouteIs404AndWrongMethodIs405WithAllow() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let missing = try client.request("GET", "/v1/nothing")
                #expect(missing.status == 404)
                let error = try JSONDecoder().decode(ErrorBody.self, from: missing.body)
                #expect(error.error.code == "not_found")
                #expect(error.error.message == "no route for GET /v1/nothing")
                let wrong = try client.request("PUT", "/v1/models/x")
                #expect(wrong.status == 405)
                #expect(wrong.headers["allow"] == "GET, HEAD, DELETE, OPTIONS")
                #expect(try JSONDecoder().decode(ErrorBody.self, from: wrong.body).error.code == "method_not_allowed")
            }
        }
    }

    @Test func jsonBodiesAreDecodedWithPreciseErrors() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let json = ["Content-Type": "application/json"]
                let ok = try client.request("POST", "/v1/greet", headers: json, body: #"{"name":"ada","count":2}"#)
                #expect(ok.status == 200)
                #expect(ok.text == #"{"text":"hi ada hi ada "}"#)
                let broken = try client.request("POST", "/v1/greet", headers: json, body: "{not json")
                #expect(broken.status == 400)
                let shape = try client.request("POST", "/v1/greet", headers: json, body: #"{"name":"ada"}"#)
                #expect(shape.status == 422)
                #expect(try JSONDecoder().decode(ErrorBody.self, from: shape.body).error.message == "missing key 'count'")
                let type = try client.request("POST", "/v1/greet", headers: json, body: #"{"name":"ada","count":"x"}"#)
                #expect(type.status == 422)
                let media = try client.request("POST", "/v1/greet", headers: ["Content-Type": "text/plain"], body: "hi")
                #expect(media.status == 415)
                let empty = try client.request("POST", "/v1/greet", headers: json, body: "")
                #expect(empty.status == 400)
            }
        }
    }

    @Test func handlerErrorsBecomeJSON() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let teapot = try client.request("GET", "/v1/teapot")
                #expect(teapot.status == 429)
                #expect(try JSONDecoder().decode(ErrorBody.self, from: teapot.body)
                    == ErrorBody(error: .init(code: "queue_full", message: "try later")))
                let crash = try client.request("GET", "/v1/crash")
                #expect(crash.status == 500)
                // details stay in the log
                #expect(try JSONDecoder().decode(ErrorBody.self, from: crash.body).error.code == "internal_error")
                #expect(!crash.text.contains("fileNoSuchFile"))
            }
        }
    }

    @Test func requestIDIsEchoedWhenSane() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let given = try client.request("GET", "/v1/request-id", headers: ["X-Request-ID": "abc-123"])
                #expect(given.text == "abc-123")
                #expect(given.headers["x-request-id"] == "abc-123")
                let hostile = try client.request("GET", "/v1/request-id", headers: ["X-Request-ID": "a b\"c"])
                #expect(hostile.text.count == 16)
            }
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        try await withTestServer(sampleRouter(), configure: { $0.maxRequestBodyBytes = 64 }) { path, _ in
            try await onThread {
                // declared too large: refused before the body is read
                let declared = try RawHTTPClient(path: path)
                try declared.send("POST /v1/greet HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                let reply = try declared.readReply()
                #expect(reply.status == 413)
                #expect(reply.headers["connection"] == "close")
                #expect(try JSONDecoder().decode(ErrorBody.self, from: reply.body).error.code == "payload_too_large")
                // chunked, growing past the limit while it streams
                let chunked = try RawHTTPClient(path: path)
                let chunk = String(repeating: "x", count: 40)
                try chunked.send("POST /v1/greet HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "28\r\n\(chunk)\r\n28\r\n\(chunk)\r\n0\r\n\r\n")
                #expect(try chunked.readReply().status == 413)
                // at the limit is fine
                let fits = try RawHTTPClient(path: path)
                let body = #"{"name":"a","count":1}"# + String(repeating: " ", count: 64 - 22)
                #expect(try fits.request("POST", "/v1/greet", headers: ["Content-Type": "application/json"], body: body).status == 200)
            }
        }
    }

    @Test func expectContinueIsHonoured() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let body = #"{"name":"b","count":1}"#
                try client.send("POST /v1/greet HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
                #expect(try client.readHead().status == 100)
                try client.send(body)
                #expect(try client.readReply().status == 200)
            }
        }
    }

    @Test func malformedRequestGets400AndTheServerGoesOn() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let bad = try RawHTTPClient(path: path)
                try bad.send("THIS IS NOT HTTP\r\n\r\n")
                let reply = try bad.readReply()
                #expect(reply.status == 400)
                #expect(try JSONDecoder().decode(ErrorBody.self, from: reply.body).error.code == "bad_request")
                #expect(try bad.isClosedByPeer())
                let badHeader = try RawHTTPClient(path: path)
                try badHeader.send("GET / HTTP/1.1\r\nNo colon here\r\n\r\n")
                #expect(try badHeader.readReply().status == 400)
                let good = try RawHTTPClient(path: path)
                #expect(try good.request("GET", "/v1/hello").status == 200)
            }
        }
    }

    @Test func connectionCloseIsRespected() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path)
                let reply = try client.request("GET", "/v1/hello", headers: ["Connection": "close"])
                #expect(reply.status == 200)
                #expect(reply.headers["connection"] == "close")
                #expect(try client.isClosedByPeer())
            }
        }
    }

    @Test func idleKeepAliveConnectionsAreClosedButSlowRequestsAreNot() async throws {
        var router = sampleRouter()
        router.get("/v1/slow") { _, _ in
            try await Task.sleep(for: .milliseconds(600))
            return .text("slow but fine")
        }
        try await withTestServer(router, configure: { $0.idleTimeout = .milliseconds(200) }) { path, _ in
            try await onThread {
                let client = try RawHTTPClient(path: path, timeout: 5)
                // Busy for three idle periods without the client sending anything: not idle.
                #expect(try client.request("GET", "/v1/slow").text == "slow but fine")
                let started = Date()
                #expect(try client.isClosedByPeer())
                #expect(Date().timeIntervalSince(started) < 3)
            }
        }
    }

    @Test func peerCredentialsAreOurOwn() async throws {
        try await withTestServer(sampleRouter()) { path, _ in
            let reply = try await onThread { try RawHTTPClient(path: path).request("GET", "/v1/whoami") }
            let peer = try JSONDecoder().decode([String: Int].self, from: reply.body)
            #expect(peer["uid"] == Int(getuid()))
            #expect(peer["gid"] == Int(getgid()))
            #expect(peer["pid"] == Int(getpid()))
        }
    }
}
