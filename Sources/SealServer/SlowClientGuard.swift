import Logging
import NIOCore
import NIOHTTP1

/// The head and body deadlines of one connection (``HTTPServerLimits/headTimeout``,
/// ``HTTPServerLimits/bodyTimeout``): a client that sends a request too slowly is
/// answered 408 and closed, so that slow clients cannot hold connections forever.
///
/// Two handlers share this state on the connection's event loop: ``Front`` sits
/// before the HTTP decoder and notices the first byte of a request; ``Back`` sits
/// after it and sees each request's head and end and each response's end. Silence
/// between requests is the idle timeout's business, not this guard's.
final class SlowClientGuard {
    private enum Phase {
        /// Waiting for a request head: since the connection opened, or since the
        /// first byte that followed an answered request.
        case head
        /// The head arrived; waiting for the body's end.
        case body
        /// The request arrived; the server is answering it.
        case answering
        /// Between requests, nothing received yet.
        case idle
    }

    private let limits: SharedLimits
    private let logger: Logger
    private let metrics: HTTPMetrics
    private let throttle: LogThrottle
    private var phase = Phase.head
    /// Requests received in full whose response has not ended yet.
    private var unanswered = 0
    /// Bytes arrived while answering (a pipelined request): its head deadline starts when the answer ends.
    private var receivedWhileAnswering = false
    private var timer: Scheduled<Void>?
    private var front: ChannelHandlerContext?

    init(limits: SharedLimits, logger: Logger, metrics: HTTPMetrics, throttle: LogThrottle) {
        self.limits = limits
        self.logger = logger
        self.metrics = metrics
        self.throttle = throttle
    }

    /// The handler to add before the HTTP decoder.
    var frontHandler: Front { Front(guard: self) }
    /// The handler to add after the HTTP decoder.
    var backHandler: Back { Back(guard: self) }

    private func enter(_ phase: Phase, on eventLoop: any EventLoop) {
        timer?.cancel()
        timer = nil
        self.phase = phase
        let limits = self.limits.current
        let timeout = switch phase {
        case .head: limits.headTimeout
        case .body: limits.bodyTimeout
        case .answering, .idle: Duration?.none
        }
        guard let timeout else { return }
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            self.expire(phase, after: timeout)
        }
    }

    private func expire(_ expired: Phase, after timeout: Duration) {
        guard phase == expired, let front else { return }
        timer = nil
        let (part, key) = expired == .head ? ("head", "head_timeout_seconds") : ("body", "body_timeout_seconds")
        if let heldBack = throttle.admit() {
            logger.notice("closing a slow connection: the request \(part) did not arrive in time",
                          metadata: ["timeout": "\(timeout.secondsText)", "slow_connections_not_logged": "\(heldBack)"])
        }
        metrics.record(method: "UNKNOWN", route: "slow_client", status: 408, duration: timeout)
        guard unanswered == 0 else {
            // An earlier response is still being written: 408 bytes would corrupt it.
            front.close(promise: nil)
            return
        }
        let error = HTTPError(
            .requestTimeout,
            message: "the request \(part) did not arrive within \(timeout.secondsText) (server.\(key)); closing the connection")
        front.writeAndFlush(NIOAny(error.closingResponseBytes(allocator: front.channel.allocator)))
            .assumeIsolated().whenComplete { _ in front.close(promise: nil) }
    }

    private func stop() {
        timer?.cancel()
        timer = nil
        front = nil
    }

    /// Notices bytes arriving (the start of a request) and answers timeouts below the HTTP codec.
    final class Front: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let state: SlowClientGuard

        fileprivate init(guard state: SlowClientGuard) { self.state = state }

        func handlerAdded(context: ChannelHandlerContext) {
            state.front = context
            // The first head's deadline runs from the connection's start.
            state.enter(.head, on: context.eventLoop)
        }

        func handlerRemoved(context: ChannelHandlerContext) { state.stop() }

        func channelInactive(context: ChannelHandlerContext) {
            state.stop()
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch state.phase {
            case .idle: state.enter(.head, on: context.eventLoop)
            case .answering: state.receivedWhileAnswering = true
            case .head, .body: break
            }
            context.fireChannelRead(data)
        }
    }

    /// Follows requests and responses above the HTTP codec.
    final class Back: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart
        private let state: SlowClientGuard

        fileprivate init(guard state: SlowClientGuard) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head:
                state.receivedWhileAnswering = false
                state.enter(.body, on: context.eventLoop)
            case .end:
                state.unanswered += 1
                state.enter(.answering, on: context.eventLoop)
            case .body:
                break
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if case .end = unwrapOutboundIn(data) {
                state.unanswered = max(0, state.unanswered - 1)
                if state.phase == .answering, state.unanswered == 0 {
                    state.enter(state.receivedWhileAnswering ? .head : .idle, on: context.eventLoop)
                    state.receivedWhileAnswering = false
                }
            }
            context.write(data, promise: promise)
        }
    }
}
