import Foundation
import SealServer
import Testing

@Suite("Streaming responses")
struct StreamingTests {
    @Test func serverSentEventsArriveIncrementally() async throws {
        let firstSent = Gate()
        let release = Gate()
        var router = Router()
        router.get("/v1/events") { _, _ in
            .serverSentEvents { events in
                try await events.send(event: "token", data: "Hello")
                firstSent.open()
                // The second event waits until the test has read the first: if the
                // server buffered the stream, the test would never see it and time out.
                try await release.wait()
                try await events.comment("keep-alive")
                try await events.send(event: "token", data: "two\nlines", id: "2")
                try await events.send(event: "done", json: ["tokens": 2])
            }
        }
        try await withTestServer(router) { path, _ in
            let client = try RawHTTPClient(path: path)
            let head = try await onThread {
                try client.send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
                return try client.readHead()
            }
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "text/event-stream; charset=utf-8")
            #expect(head.headers["transfer-encoding"] == "chunked")
            #expect(head.headers["cache-control"] == "no-cache")
            try await firstSent.wait()
            let first = try await onThread { try client.readChunk() }
            #expect(first.map { String(decoding: $0, as: UTF8.self) } == "event: token\ndata: Hello\n\n")
            release.open()
            let rest = try await onThread {
                var text = ""
                while let chunk = try client.readChunk() { text += String(decoding: chunk, as: UTF8.self) }
                return text
            }
            #expect(rest == ": keep-alive\n\nid: 2\nevent: token\ndata: two\ndata: lines\n\nevent: done\ndata: {\"tokens\":2}\n\n")
            // the connection stays usable after a complete stream
            let again = try await onThread {
                try client.send("GET /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return try client.readReply()
            }
            #expect(again.status == 200)
        }
    }

    @Test func clientDisconnectMakesTheWriterThrowPromptly() async throws {
        let streaming = Gate()
        let stopped = Gate()
        let failure = Box<String>()
        let disconnectHook = Box<Bool>()
        var router = Router()
        router.get("/v1/generate") { _, context in
            context.onClientDisconnect { disconnectHook.set(true) }
            return .stream(contentType: "application/x-ndjson") { writer in
                do {
                    var index = 0
                    while true {
                        try await writer.writeJSONLine(["token": index])
                        if index == 0 { streaming.open() }
                        index += 1
                        try await Task.sleep(for: .milliseconds(5))
                    }
                } catch {
                    failure.set(error is HTTPServerError ? "disconnected" : "\(type(of: error))")
                    stopped.open()
                    throw error
                }
            }
        }
        try await withTestServer(router) { path, _ in
            let client = try RawHTTPClient(path: path)
            try await onThread {
                try client.send("GET /v1/generate HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.readHead()
                _ = try client.readChunk()
            }
            try await streaming.wait()
            let closedAt = ContinuousClock.now
            client.close()
            try await stopped.wait(timeout: .seconds(5))
            let reaction = ContinuousClock.now - closedAt
            #expect(reaction < .seconds(5), "the handler noticed the disconnect after \(reaction)")
            // Either the write saw the closed connection or the handler's task was cancelled first.
            #expect(failure.value == "disconnected" || failure.value == "CancellationError")
            // The hook runs on the event loop as the connection closes, racing the writer's failure.
            for _ in 0..<100 where disconnectHook.value == nil { try await Task.sleep(for: .milliseconds(10)) }
            #expect(disconnectHook.value == true)
        }
    }

    @Test func timeoutBeforeTheHeadGives503() async throws {
        var router = Router()
        router.get("/v1/slow") { _, _ in
            try await Task.sleep(for: .seconds(30))
            return .text("late")
        }
        try await withTestServer(router, configure: { $0.requestTimeout = .milliseconds(200) }) { path, _ in
            let started = ContinuousClock.now
            let reply = try await onThread { try RawHTTPClient(path: path).request("GET", "/v1/slow") }
            #expect(reply.status == 503)
            #expect(try JSONDecoder().decode(ErrorBody.self, from: reply.body).error.code == "timeout")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }
}
