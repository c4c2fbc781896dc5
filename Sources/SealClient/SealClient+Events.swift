import Foundation
import SealAPI

/// What a stream handler does with one server-sent event.
enum StreamStep<Element: Sendable>: Sendable {
    case yield(Element)
    /// The stream's last element (`done`): yield it and stop reading.
    case finish(Element)
    /// The stream's end marker (OpenAI's `[DONE]`): stop reading, yield nothing.
    case end
    case skip
}

extension SealClient {
    /// The server-sent events of a `text/event-stream` response, parsed as they arrive.
    ///
    /// A non-2xx answer throws its ``ClientError/server(status:code:message:)``; `error` events
    /// are passed through as they are (the typed streams such as ``generateStream(_:)`` turn
    /// them into errors). Ending the iteration early, or cancelling the consuming task,
    /// closes the connection.
    public func events(_ method: HTTPMethod, _ path: String, body: Data? = nil) -> AsyncThrowingStream<ServerSentEvent, any Error> {
        stream(HTTPRequest(method: method, path: path, headers: Self.eventStreamHeaders, body: body), requiresFinalEvent: false) {
            .yield($0)
        }
    }

    /// ``events(_:_:body:)`` with `json` encoded as API JSON (a distinct label: `Data` is
    /// `Encodable` too, and must not be encoded twice).
    public func events<Body: Encodable>(_ method: HTTPMethod, _ path: String, json: Body) -> AsyncThrowingStream<ServerSentEvent, any Error> {
        do {
            let body: Data = try Self.encode(json)
            return events(method, path, body: body)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
    }

    static let eventStreamHeaders = [(name: "Accept", value: "text/event-stream")]

    /// Runs `request` on an I/O thread and maps each event through `handle` there, so typed
    /// streams cost no extra task. With `requiresFinalEvent`, a body that ends before `handle`
    /// returned `.finish` is a protocol error: a generation that stops short must not look complete.
    func stream<Element: Sendable>(
        _ request: HTTPRequest,
        requiresFinalEvent: Bool,
        _ handle: @escaping @Sendable (ServerSentEvent) throws -> StreamStep<Element>
    ) -> AsyncThrowingStream<Element, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Element, any Error>.makeStream()
        let connection = UnixSocketConnection(path: socketPath, timeout: timeout)
        continuation.onTermination = { termination in
            if case .cancelled = termination { connection.cancel() }
        }
        let thread = Thread {
            defer { connection.close() }
            do {
                var exchange = HTTPExchange(connection: connection)
                let head = try exchange.start(request)
                guard head.isSuccess else {
                    throw ClientError.response(status: head.status, reason: head.reason, body: try exchange.readBody(limit: 1 << 20))
                }
                if let type = head.header("Content-Type"), !type.lowercased().hasPrefix("text/event-stream") {
                    throw ClientError.protocolError("\(request.method.rawValue) \(request.path): expected an event stream, got \(type)")
                }
                var parser = ServerSentEventParser()
                while let chunk = try exchange.nextBodyChunk() {
                    for event in parser.feed(chunk) {
                        switch try handle(event) {
                        case .skip:
                            continue
                        case .yield(let element):
                            if case .terminated = continuation.yield(element) { return }
                        case .finish(let element):
                            continuation.yield(element)
                            continuation.finish()
                            return
                        case .end:
                            continuation.finish()
                            return
                        }
                    }
                }
                if requiresFinalEvent {
                    throw ClientError.protocolError("the event stream ended before its final event")
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: connection.isCancelled ? CancellationError() : error)
            }
        }
        thread.name = "seal-client-stream"
        thread.start()
        return stream
    }

    /// The ``ClientError`` carried by an `error` event.
    static func streamError(_ event: ServerSentEvent) -> ClientError {
        guard let response = try? event.decode(ErrorResponse.self) else {
            return .server(status: 500, code: "internal", message: event.data.isEmpty ? "the stream reported an error" : event.data)
        }
        return .server(status: ClientError.status(forCode: response.error.code), code: response.error.code,
                       message: response.error.message)
    }
}
