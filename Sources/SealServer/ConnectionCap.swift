import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Answers a connection beyond ``HTTPServerLimits/maxConnections`` with 503 and
/// closes it, without reading its request: refusing costs the server one write.
final class ConnectionRefuser: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let answer: HTTPError

    init(open: Int) {
        answer = .unavailable(
            "the daemon has \(open) connections open, its limit (server.max_connections); retry when one has closed",
            code: "too_many_connections", retryAfterSeconds: 1)
    }

    func channelActive(context: ChannelHandlerContext) {
        let bytes = answer.closingResponseBytes(allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(bytes)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The request is not read: it will not be served.
    }
}

/// Lets one log line through per interval and counts the ones held back, so that
/// a flood of refused or slow connections does not become a flood of log lines.
final class LogThrottle: Sendable {
    private struct State {
        var lastLogged: ContinuousClock.Instant?
        var heldBack = 0
    }

    private let state = Mutex(State())
    private let interval: Duration

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// `nil` when this event is not to be logged; else the number held back since the last line.
    func admit() -> Int? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let last = state.lastLogged, now - last < interval {
                state.heldBack += 1
                return nil
            }
            defer { state.lastLogged = now; state.heldBack = 0 }
            return state.heldBack
        }
    }
}

/// The throttles of one server's connection-level log lines.
struct ConnectionLogThrottles: Sendable {
    let refused = LogThrottle()
    let slow = LogThrottle()
}

extension HTTPError {
    /// This error as complete HTTP/1.1 response bytes that close the connection,
    /// for answering below the HTTP codec (a refused connection, a request whose
    /// head never completed).
    func closingResponseBytes(allocator: ByteBufferAllocator) -> ByteBuffer {
        let response = self.response
        var body: [UInt8] = []
        if case .data(let data) = response.body { body = Array(data) }
        var text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for (name, value) in response.headers
        where !["content-length", "connection"].contains(name.lowercased()) {
            text += "\(name): \(value)\r\n"
        }
        text += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        var buffer = allocator.buffer(capacity: text.utf8.count + body.count)
        buffer.writeString(text)
        buffer.writeBytes(body)
        return buffer
    }
}
