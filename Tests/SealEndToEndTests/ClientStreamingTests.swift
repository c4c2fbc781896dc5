import Foundation
import SealAPI
import Testing
import SealClient

/// Server-sent events: the parser on its own, then streams from the fake daemon.
@Suite("SealClient streaming")
struct ClientStreamingTests {
    static let done = GenerateResponse(
        text: "Hello world", finishReason: "stop", usage: Usage(promptTokens: 3, completionTokens: 2),
        timings: Timings(queueSeconds: 0, prefillSeconds: 0.1, decodeSeconds: 0.2, prefillTokensPerSecond: 30, decodeTokensPerSecond: 10),
        model: "tiny")

    // MARK: Parser

    @Test func multiLineDataCommentsAndFields() {
        let events = ServerSentEventParser.parse("""
            : keep-alive comment
            event: token
            data: first line
            data:second line
            data
            id: 7

            retry: 3000
            data: {"a":1}

            event: ignored-without-data

            data: incomplete at the end
            """)
        #expect(events == [
            ServerSentEvent(event: "token", data: "first line\nsecond line\n", id: "7"),
            ServerSentEvent(event: "message", data: #"{"a":1}"#, id: "7", retry: 3000),
        ])
    }

    @Test func lineEndingsAndSplitsAnywhere() {
        let wire = "\u{FEFF}event: a\r\ndata: x\r\n\r\nevent: b\rdata: ü\r\rdata: [DONE]\n\n"
        let expected = [ServerSentEvent(event: "a", data: "x"), ServerSentEvent(event: "b", data: "ü"), ServerSentEvent(data: "[DONE]")]
        #expect(ServerSentEventParser.parse(wire) == expected)
        let bytes = Array(wire.utf8)
        for split in 1..<bytes.count {  // every place a chunk boundary can fall, even inside "\r\n" and "ü"
            var parser = ServerSentEventParser()
            let events = parser.feed(bytes[..<split]) + parser.feed(bytes[split...])
            #expect(events == expected, "split at \(split)")
        }
    }

    // MARK: Streams

    @Test func generationStreamsTokensAcrossDelayedChunks() async throws {
        let steps: [FakeServer.Step] = [
            .send(Reply.eventStreamHead),
            .send(Reply.chunk(": prefill started\n\n")),
            .send(Reply.chunk("event: token\ndata: {\"text\":\"Hel")), .pause(milliseconds: 30),
            .send(Reply.chunk("lo\"}\n\nevent: token\r\n")), .pause(milliseconds: 30),
            .send(Reply.chunk("data: {\"text\":\" world\"}\r\n\r\n")),
            .send(Reply.event("done", Reply.json(Self.done))), .send(Reply.lastChunk),
        ]
        let server = try FakeServer(steps)
        defer { server.stop() }
        var events: [GenerationEvent] = []
        for try await event in SealClient(socketPath: server.socketPath).generateStream(GenerateRequest(prompt: "Hi")) {
            events.append(event)
        }
        #expect(events == [.token("Hello"), .token(" world"), .done(Self.done)])
        let request = try #require(server.requests.first)
        #expect(request.json?["stream"] as? Bool == true)
        #expect(request.headers["accept"] == "text/event-stream")
    }

    @Test func errorEventThrowsServerError() async throws {
        let error = Reply.json(ErrorResponse(code: "context_overflow", message: "the prompt needs 5000 tokens; the context holds 2048"))
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.event("token", #"{"text":"a"}"#)),
                                     .send(Reply.event("error", error)), .send(Reply.lastChunk)])
        defer { server.stop() }
        var tokens: [GenerationEvent] = []
        await #expect(throws: ClientError.server(status: 422, code: "context_overflow",
                                                  message: "the prompt needs 5000 tokens; the context holds 2048")) {
            for try await event in SealClient(socketPath: server.socketPath).generateStream(GenerateRequest(prompt: "x")) {
                tokens.append(event)
            }
        }
        #expect(tokens == [.token("a")])
    }

    @Test func refusedStreamThrowsBeforeAnyEvent() async throws {
        let body = Reply.json(ErrorResponse(code: "model_not_loaded", message: "no model is loaded"))
        let server = try FakeServer([.send(Reply.http(503, "Service Unavailable", body: body))])
        defer { server.stop() }
        await #expect(throws: ClientError.server(status: 503, code: "model_not_loaded", message: "no model is loaded")) {
            for try await _ in SealClient(socketPath: server.socketPath).generateStream(GenerateRequest(prompt: "x")) {}
        }
    }

    @Test func connectionClosedMidStreamIsAProtocolError() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.event("token", #"{"text":"a"}"#)), .pause(milliseconds: 20)])
        defer { server.stop() }
        var received = 0
        await #expect(throws: ClientError.protocolError("the connection closed before the response body was complete")) {
            for try await _ in SealClient(socketPath: server.socketPath).generateStream(GenerateRequest(prompt: "x")) { received += 1 }
        }
        #expect(received == 1)
    }

    @Test func streamEndingWithoutDoneIsAProtocolError() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.event("token", #"{"text":"a"}"#)), .send(Reply.lastChunk)])
        defer { server.stop() }
        await #expect(throws: ClientError.protocolError("the event stream ended before its final event")) {
            for try await _ in SealClient(socketPath: server.socketPath).generateStream(GenerateRequest(prompt: "x")) {}
        }
    }

    @Test func rawEventsPassEverythingThrough() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.chunk("data: {\"n\":1}\n\n")),
                                     .send(Reply.chunk("event: error\ndata: oops\n\ndata: [DONE]\n\n")), .send(Reply.lastChunk)])
        defer { server.stop() }
        var events: [ServerSentEvent] = []
        for try await event in SealClient(socketPath: server.socketPath).events(.post, "/v1/completions", body: Data("{}".utf8)) {
            events.append(event)
        }
        #expect(events == [ServerSentEvent(data: #"{"n":1}"#), ServerSentEvent(event: "error", data: "oops"), ServerSentEvent(data: "[DONE]")])
    }

    @Test func openAIStreamEndsAtDoneMarker() async throws {
        let chunk = OpenAIResponse(id: "c1", object: "text_completion", created: 1, model: "tiny",
                                   choices: [OpenAIResponse.Choice(text: "Hi")], usage: nil)
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.chunk("data: \(Reply.json(chunk))\n\n")),
                                     .send(Reply.chunk("data: [DONE]\n\n")), .waitForDisconnect])
        defer { server.stop() }
        var chunks: [OpenAIResponse] = []
        let body = Data(#"{"prompt":"x","stream":true}"#.utf8)
        for try await item in SealClient(socketPath: server.socketPath).openAIStream("/v1/completions", body: body) { chunks.append(item) }
        #expect(chunks == [chunk])
        #expect(server.requests.first?.json?["stream"] as? Bool == true)
    }

    @Test func encodableBodiesAreSentAsAPIJSON() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.chunk("data: 1\n\n")), .send(Reply.lastChunk)])
        defer { server.stop() }
        let client = SealClient(socketPath: server.socketPath)
        var data: [String] = []
        for try await event in client.events(.post, "/api/generate", json: GenerateRequest(prompt: "x", maxTokens: 3)) { data.append(event.data) }
        #expect(data == ["1"])
        #expect(server.requests.first?.json?["max_tokens"] as? Int == 3)
    }

    @Test func jobEventsEndWithDone() async throws {
        let request = CreateJobRequest(kind: .dataset, dataset: DatasetJobParameters(task: "passkey", samples: 2, targetTokens: 100))
        var job = Job(id: "j1", kind: .dataset, name: nil, state: .running, createdAt: Date(timeIntervalSince1970: 1_700_000_000),
                      progress: JobProgress(completed: 1, total: 2, message: "sample 1"), request: request)
        let progress = Reply.json(job)
        job.state = .succeeded
        job.progress.completed = 2
        job.artifacts = ["ds-1"]
        let server = try FakeServer([.send(Reply.eventStreamHead), .send(Reply.event("progress", progress)),
                                     .send(Reply.event("done", Reply.json(job))), .waitForDisconnect])
        defer { server.stop() }
        var states: [JobState] = []
        for try await update in SealClient(socketPath: server.socketPath).jobEvents("j1") { states.append(update.state) }
        #expect(states == [.running, .succeeded])
        #expect(server.requests.first?.path == "/api/jobs/j1/events")
    }

    @Test func cancellingTheConsumerFreesTheServerAtOnce() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead),
                                     .repeatUntilDisconnect(Reply.event("token", #"{"text":"x"}"#), milliseconds: 20)])
        defer { server.stop() }
        let client = SealClient(socketPath: server.socketPath)
        let consumer = Task {
            var count = 0
            for try await _ in client.generateStream(GenerateRequest(prompt: "forever")) { count += 1 }
            return count
        }
        // Cancel only once the stream is being served: on a loaded machine 150 ms may pass before
        // the client even connects, and a request cancelled before it starts never connects.
        #expect(await server.waitForRequests(1), "the client never reached the server")
        try await Task.sleep(for: .milliseconds(100))
        consumer.cancel()
        _ = try? await consumer.value
        #expect(await server.waitForDisconnects(1, seconds: 10))
    }

    @Test func breakingOutOfTheLoopDisconnects() async throws {
        let server = try FakeServer([.send(Reply.eventStreamHead),
                                     .repeatUntilDisconnect(Reply.event("token", #"{"text":"x"}"#), milliseconds: 10)])
        defer { server.stop() }
        var count = 0
        for try await _ in SealClient(socketPath: server.socketPath).generateStream(GenerateRequest(prompt: "x")) {
            count += 1
            if count == 3 { break }
        }
        #expect(await server.waitForDisconnects(1, seconds: 10))
    }
}
