import Foundation

/// One request and its response over one connection, with blocking I/O. It runs on a thread of
/// its own (see ``runOnIOThread(_:_:)``), never on the Swift concurrency pool.
struct HTTPExchange {
    let connection: UnixSocketConnection
    private var parser = HTTPResponseParser()
    private var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)
    private var pending: [HTTPResponseParser.Event] = []

    init(connection: UnixSocketConnection) {
        self.connection = connection
    }

    /// Connects, writes the request and reads up to the end of the response head.
    mutating func start(_ request: HTTPRequest) throws -> HTTPResponseHead {
        let bytes = try request.serialized()
        try connection.connect()
        var writeError: ClientError?
        do {
            try connection.write(bytes)
        } catch let error as ClientError {
            // The daemon may refuse a request before reading all of it (413, 400) and close;
            // its answer is still worth reading, so go on to the response.
            guard case .connectionFailed = error else { throw error }
            writeError = error
        }
        do {
            switch try nextEvent() {
            case .head(let head): return head
            case .body, .end: throw ClientError.protocolError("body before the response head")
            }
        } catch let error as ClientError {
            throw writeError ?? error
        }
    }

    /// The next piece of the body, or nil at its end.
    mutating func nextBodyChunk() throws -> [UInt8]? {
        switch try nextEvent() {
        case .body(let bytes): return bytes
        case .end: return nil
        case .head: throw ClientError.protocolError("a second response head")
        }
    }

    /// The rest of the body.
    mutating func readBody(limit: Int = 256 * 1024 * 1024) throws -> Data {
        var body = Data()
        while let chunk = try nextBodyChunk() {
            body.append(contentsOf: chunk)
            if body.count > limit { throw ClientError.protocolError("response body larger than \(limit) bytes") }
        }
        return body
    }

    private mutating func nextEvent() throws -> HTTPResponseParser.Event {
        while true {
            if let event = try parser.next() { return event }
            let count = try connection.read(into: &readBuffer)
            if count == 0 {
                guard let event = try parser.endOfInput() else {
                    throw ClientError.protocolError("read past the end of the response")
                }
                return event
            }
            parser.append(readBuffer[0..<count])
        }
    }
}

/// Runs blocking `work` on a dedicated thread and awaits its result, so that a slow daemon
/// never starves the cooperative pool. Cancelling the awaiting task cancels `connection`,
/// which wakes the thread; the thread closes the connection when `work` returns.
func runOnIOThread<T: Sendable>(
    _ connection: UnixSocketConnection,
    _ work: @escaping @Sendable () throws -> T
) async throws -> T {
    try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                defer { connection.close() }
                do {
                    let value = try work()
                    continuation.resume(returning: value)
                } catch {
                    continuation.resume(throwing: connection.isCancelled ? CancellationError() : error)
                }
            }
            thread.name = "seal-client-io"
            thread.start()
        }
    } onCancel: {
        connection.cancel()
    }
}
