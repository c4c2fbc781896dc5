import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Writes the chunks of a streamed response.
///
/// Each `write` returns once its bytes are in the socket, so a handler never runs
/// ahead of a slow client by more than the socket buffer (back-pressure). It throws
/// ``HTTPServerError`` with kind `.clientDisconnected` as soon as the client has
/// gone, and `CancellationError` when the request was cancelled (timeout, shutdown
/// deadline): either way the handler should stop generating immediately.
public struct ResponseBodyWriter: Sendable {
    /// Where the chunks go: the connection, or memory for a response collected in process.
    private enum Sink: Sendable {
        case connection(ResponseChannel, ConnectionLifetime)
        case memory(@Sendable (ByteBuffer) -> Void)
    }

    private let sink: Sink
    let allocator: ByteBufferAllocator

    init(connection: ResponseChannel, lifetime: ConnectionLifetime) {
        sink = .connection(connection, lifetime)
        allocator = connection.allocator
    }

    private init(collect: @escaping @Sendable (ByteBuffer) -> Void) {
        sink = .memory(collect)
        allocator = ByteBufferAllocator()
    }

    /// `false` once the client closed the connection.
    public var isClientConnected: Bool {
        guard case .connection(_, let lifetime) = sink else { return true }
        return !lifetime.isClosed
    }

    public func write(_ buffer: ByteBuffer) async throws {
        guard isClientConnected else { throw HTTPServerError.clientDisconnected }
        try Task.checkCancellation()
        // An empty chunk would read as the end of a chunked body.
        guard buffer.readableBytes > 0 else { return }
        switch sink {
        case .memory(let collect):
            collect(buffer)
        case .connection(let connection, let lifetime):
            do {
                try await connection.write(.body(.byteBuffer(buffer)))
            } catch {
                if Task.isCancelled && !lifetime.isClosed { throw CancellationError() }
                lifetime.markClosed()  // the client is gone, whether or not the close was noticed yet
                throw HTTPServerError.clientDisconnected
            }
        }
    }

    /// Runs a streamed body to its end in memory and returns what it wrote: for calling
    /// routes in process (tests, as Hummingbird's test client does), with no socket.
    public static func collect(_ body: @Sendable (ResponseBodyWriter) async throws -> Void) async throws -> Data {
        let chunks = Mutex(Data())
        try await body(ResponseBodyWriter { buffer in chunks.withLock { $0.append(contentsOf: buffer.readableBytesView) } })
        return chunks.withLock { $0 }
    }

    public func write(_ data: Data) async throws {
        try await write(allocator.buffer(bytes: data))
    }

    public func write(_ string: String) async throws {
        try await write(allocator.buffer(string: string))
    }

    /// Writes one value as a JSON line (NDJSON).
    public func writeJSONLine<T: Encodable>(_ value: T, encoder: JSONEncoder = Response.defaultEncoder()) async throws {
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        try await write(data)
    }
}

/// Server-Sent Events on top of a streamed response (`text/event-stream`).
///
/// Browsers' `EventSource` and `curl -N` read these incrementally. A multi-line
/// `data` is split into several `data:` fields, which clients join back with `\n`.
public struct ServerSentEvents: Sendable {
    public let writer: ResponseBodyWriter

    public init(writer: ResponseBodyWriter) {
        self.writer = writer
    }

    /// `false` once the client closed the connection.
    public var isClientConnected: Bool { writer.isClientConnected }

    /// Sends one event. Throws when the client has gone (see ``ResponseBodyWriter``).
    public func send(event: String? = nil, data: String, id: String? = nil) async throws {
        try await writer.write(Self.format(event: event, data: data, id: id))
    }

    /// Sends one event whose data is `value` as compact JSON.
    public func send<T: Encodable>(event: String? = nil, json value: T, id: String? = nil,
                                   encoder: JSONEncoder = Response.defaultEncoder()) async throws {
        let data = try encoder.encode(value)
        try await send(event: event, data: String(decoding: data, as: UTF8.self), id: id)
    }

    /// A comment line, ignored by clients: keeps idle connections (and proxies) alive.
    public func comment(_ text: String = "") async throws {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        try await writer.write(lines.map { ": \($0)\n" }.joined() + "\n")
    }

    /// Tells the client how long to wait before reconnecting.
    public func retry(milliseconds: Int) async throws {
        try await writer.write("retry: \(milliseconds)\n\n")
    }

    static func format(event: String?, data: String, id: String?) -> String {
        var text = ""
        if let id { text += "id: \(singleLine(id))\n" }
        if let event { text += "event: \(singleLine(event))\n" }
        for line in data.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            text += "data: \(line)\n"
        }
        return text + "\n"
    }

    private static func singleLine(_ text: String) -> String {
        String(text.filter { !$0.isNewline })
    }
}
