import NIOCore
import NIOHTTP1

/// Writes response parts straight into the connection's pipeline and waits until
/// each is written to the socket.
///
/// Waiting per write gives streaming handlers back-pressure, lets a failed write
/// (client gone) surface at the write that failed, and guarantees that a response
/// is fully out before the connection is closed.
struct ResponseChannel: Sendable {
    let channel: Channel

    var allocator: ByteBufferAllocator { channel.allocator }

    func write(_ part: HTTPServerResponsePart) async throws {
        try await channel.writeAndFlush(part).get()
    }

    /// Sends a complete response with `Content-Length`.
    /// With `omitBody` (a `HEAD` request) the head announces the body's length but the body stays unsent.
    func send(_ response: Response, body: ByteBuffer, version: HTTPVersion, keepAlive: Bool, requestID: String,
              omitBody: Bool = false) async throws {
        var headers = response.headers
        // 204 and 304 have no body and must not announce one (RFC 9110 §8.6).
        let bodyless = response.status == .noContent || response.status == .notModified
        if bodyless {
            headers.remove(name: "Content-Length")
        } else {
            headers.replaceOrAdd(name: "Content-Length", value: "\(body.readableBytes)")
        }
        let head = Self.head(response.status, headers: headers, version: version, keepAlive: keepAlive, requestID: requestID)
        try await write(.head(head))
        if !bodyless, !omitBody, body.readableBytes > 0 { try await write(.body(.byteBuffer(body))) }
        try await write(.end(nil))
    }

    /// Sends an ``HTTPError`` as a complete JSON response.
    func send(_ error: HTTPError, version: HTTPVersion, keepAlive: Bool, requestID: String) async throws {
        let response = error.response
        guard case .data(let data) = response.body else { return }
        try await send(response, body: allocator.buffer(bytes: data), version: version, keepAlive: keepAlive, requestID: requestID)
    }

    static func head(_ status: HTTPResponseStatus, headers: HTTPHeaders, version: HTTPVersion,
                     keepAlive: Bool, requestID: String) -> HTTPResponseHead {
        var headers = headers
        headers.replaceOrAdd(name: "X-Request-ID", value: requestID)
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if version.major == 1, version.minor == 0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: version, status: status, headers: headers)
    }
}
