import Foundation
import SealAPI
import Testing
@testable import SealClient

/// SealClient's HTTP/1.1 over a Unix socket, against canned responses.
@Suite("SealClient HTTP")
struct ClientHTTPTests {
    @Test func plainContentLengthBodyIsDecoded() async throws {
        let server = try FakeServer([.send(Reply.http(body: #"{"status":"ok"}"#))])
        defer { server.stop() }
        let health = try await SealClient(socketPath: server.socketPath).health()
        #expect(health == HealthResponse(status: "ok"))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/api/health")
        #expect(request.headers["host"] == "localhost")
        #expect(request.headers["connection"] == "close")
    }

    @Test func postSendsSnakeCaseJSONWithContentLength() async throws {
        let answer = TokenizeResponse(tokens: [1, 2], pieces: ["a", "b"])
        let server = try FakeServer([.send(Reply.http(body: Reply.json(answer)))])
        defer { server.stop() }
        let result = try await SealClient(socketPath: server.socketPath)
            .tokenize(TokenizeRequest(text: "ab", addSpecialTokens: false))
        #expect(result == answer)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["content-length"] == "\(request.body.count)")
        #expect(request.json?["add_special_tokens"] as? Bool == false)
        #expect(request.json?["text"] as? String == "ab")
    }

    @Test func postWithoutBodySendsContentLengthZero() async throws {
        let model = ModelInfo(name: "m", path: "/m.gguf", loaded: false)
        let server = try FakeServer([.send(Reply.http(body: Reply.json(model)))])
        defer { server.stop() }
        let result = try await SealClient(socketPath: server.socketPath).call(Endpoints.unloadModel)
        #expect(result == model)
        #expect(server.requests.first?.headers["content-length"] == "0")
    }

    @Test func chunkedBodyArrivingByteByByteIsReassembled() async throws {
        let body = Reply.json([ModelInfo(name: "a", path: "/a", loaded: true), ModelInfo(name: "b", path: "/b", loaded: false)])
        let wire = Reply.chunkedHead() + Reply.chunk(String(body.prefix(10))) + "5;ext=1\r\n" + String(body.dropFirst(10).prefix(5))
            + "\r\n" + Reply.chunk(String(body.dropFirst(15))) + "0\r\nX-Trailer: yes\r\n\r\n"
        let steps: [FakeServer.Step] = wire.utf8.map { .sendBytes([$0]) }
        let server = try FakeServer(steps)
        defer { server.stop() }
        let models = try await SealClient(socketPath: server.socketPath).models()
        #expect(models.map(\.name) == ["a", "b"])
    }

    @Test func bodyWithoutLengthRunsToTheClose() async throws {
        let server = try FakeServer([.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n# HELP seal\n"), .pause(milliseconds: 20),
                                     .send("seal_up 1\n")])
        defer { server.stop() }
        let metrics = try await SealClient(socketPath: server.socketPath).metrics()
        #expect(metrics == "# HELP seal\nseal_up 1\n")
    }

    @Test func deleteAccepts204() async throws {
        let server = try FakeServer([.send("HTTP/1.1 204 No Content\r\n\r\n")])
        defer { server.stop() }
        try await SealClient(socketPath: server.socketPath).delete("/api/artifacts/x%2Fy")
        let noContent = try await SealClient(socketPath: server.socketPath).call(Endpoints.deleteArtifact("a/b"))
        #expect(noContent == NoContent())
        #expect(server.requests.map(\.method) == ["DELETE", "DELETE"])
        #expect(server.requests.last?.path == "/api/artifacts/a%2Fb")
    }

    @Test func rawSendReturnsAnyStatus() async throws {
        let server = try FakeServer([.send(Reply.http(404, "Not Found", body: "{}", extraHeaders: "X-Seal: 1\r\n"))])
        defer { server.stop() }
        let response = try await SealClient(socketPath: server.socketPath).send(.get, "/nowhere")
        #expect(response.status == 404)
        #expect(response.head.header("x-seal") == "1")
        #expect(response.body == Data("{}".utf8))
    }

    @Test func responseHeadIsParsedFromPieces() throws {
        var parser = HTTPResponseParser()
        let wire = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: b\r\n\r\nhi"
        var events: [HTTPResponseParser.Event] = []
        for byte in wire.utf8 {
            parser.append([byte])
            while let event = try parser.next() { events.append(event) }
        }
        let head = HTTPResponseHead(status: 201, reason: "Created",
                                    headers: [HTTPHeaderField(name: "Content-Length", value: "2"), HTTPHeaderField(name: "X-A", value: "b")])
        #expect(events == [.head(head), .body([UInt8(ascii: "h")]), .body([UInt8(ascii: "i")]), .end])
    }

    @Test func invalidChunkSizeIsAProtocolError() throws {
        var parser = HTTPResponseParser()
        parser.append(Array((Reply.chunkedHead() + "zz\r\n").utf8))
        #expect(try parser.next() != nil)
        #expect(throws: ClientError.self) { try parser.next() }
    }

    @Test func requestTargetsCannotInjectHeaders() async throws {
        let client = SealClient(socketPath: "/nonexistent/seal.sock")
        await #expect(throws: ClientError.protocolError("invalid request path '/a b'")) {
            _ = try await client.send(.get, "/a b")
        }
        #expect(SealClient.pathSegment("../x y/z") == "..%2Fx%20y%2Fz")
    }
}
