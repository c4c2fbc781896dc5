import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 server on a Unix domain socket, for a local daemon's API.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(listener: .unixSocket(path: "/run/seal/seald.sock")),
///                         router: router, logger: logger)
/// try await server.run()          // returns after shutdown(gracefully:) finished
/// ```
///
/// Each connection carries the client's kernel credentials into every request's
/// ``Context``; requests on one connection are served in order, connections
/// concurrently. A malformed request gets 400 and its connection is closed; the
/// server goes on serving the others.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    public let router: Router
    public let logger: Logger
    /// Request counts and latencies are recorded here; render it for `GET /metrics`.
    public let metrics: MetricsRegistry
    private let eventLoopGroup: any EventLoopGroup
    private let registry = ConnectionRegistry()
    private let sharedPolicy: SharedAccessPolicy
    private let sharedLimits: SharedLimits
    private let throttles = ConnectionLogThrottles()
    private let lifecycle = Mutex(Lifecycle())

    private struct Lifecycle {
        enum Phase {
            case idle, starting
            case running(Channel)
            case stopped
        }

        var phase = Phase.idle
        var shutdownRequested = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, Never>

    public init(
        configuration: HTTPServerConfiguration,
        router: Router,
        logger: Logger,
        metrics: MetricsRegistry = MetricsRegistry(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.metrics = metrics
        self.eventLoopGroup = eventLoopGroup
        self.sharedPolicy = SharedAccessPolicy(configuration.accessPolicy)
        self.sharedLimits = SharedLimits(configuration.limits)
    }

    /// The limits in force; start as the configuration's.
    public var limits: HTTPServerLimits {
        sharedLimits.current
    }

    /// Replaces the limits while serving (e.g. after a configuration reload). Each
    /// takes effect where it is next read: the body size and request timeout for
    /// requests that start from now on, the head and body deadlines when they are
    /// next armed, the connection cap at the next accept, the idle timeout for
    /// connections accepted from now on.
    public func updateLimits(_ limits: HTTPServerLimits) {
        sharedLimits.current = limits
    }

    /// The access policy requests are checked against; starts as the configuration's.
    public var accessPolicy: AccessPolicy {
        sharedPolicy.current
    }

    /// Replaces the access policy for requests that start from now on (e.g. after a
    /// configuration reload changed `access.admin_group`).
    public func updateAccessPolicy(_ policy: AccessPolicy) {
        sharedPolicy.current = policy
    }

    /// Binds the socket and serves until ``shutdown(gracefully:)`` completes or the
    /// calling task is cancelled (which closes every connection at once).
    ///
    /// - Throws: ``HTTPServerError`` when the socket cannot be set up.
    public func run() async throws {
        try lifecycle.withLock { (state: inout Lifecycle) throws(HTTPServerError) in
            guard case .idle = state.phase else { throw HTTPServerError(.alreadyRunning, "the server is already running") }
            state.phase = .starting
        }
        defer { finishLifecycle() }

        let core = ServerCore(router: router, logger: logger, registry: registry,
                              metrics: HTTPMetrics(registry: metrics), accessPolicy: sharedPolicy, limits: sharedLimits)
        let listener = try await UnixSocketListener.bind(
            configuration.listener, group: eventLoopGroup, logger: logger
        ) { [throttles] channel in
            Self.initializeConnection(channel, core: core, throttles: throttles)
        }
        defer { listener.removeSocketFile() }
        let server = listener.channel

        let proceed = lifecycle.withLock { state in
            guard !state.shutdownRequested else { return false }
            state.phase = .running(server.channel)
            return true
        }
        if !proceed { server.channel.close(promise: nil) }
        logger.info("serving HTTP", metadata: ["socket": "\(listener.description)"])

        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await accepted in inbound {
                        guard let accepted else { continue }  // refused: over the connection cap
                        group.addTask {
                            await HTTPConnectionHandler(core: core, connection: accepted.connection, peer: accepted.peer,
                                                        id: accepted.id).run()
                        }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
            self.registry.closeAll()
        }
        logger.info("HTTP server stopped")
    }

    /// Stops accepting connections, closes idle ones, lets requests in progress
    /// finish for up to ``HTTPServerConfiguration/shutdownGracePeriod`` (at once when
    /// `gracefully` is false), then closes the rest; returns when ``run()`` has ended.
    ///
    /// Safe to call more than once, before or without ``run()``.
    public func shutdown(gracefully: Bool = true) async {
        let server: Channel? = lifecycle.withLock { state in
            state.shutdownRequested = true
            if case .running(let channel) = state.phase { return channel }
            return nil
        }
        server?.close(promise: nil)
        registry.drain()
        if !gracefully { registry.closeAll() }
        let grace = configuration.shutdownGracePeriod
        let registry = self.registry
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                guard (try? await Task.sleep(for: grace)) != nil else { return }
                registry.closeAll()
            }
            await waitUntilStopped()
            group.cancelAll()
        }
    }

    private func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = lifecycle.withLock { state in
                switch state.phase {
                case .idle, .stopped:
                    return false
                case .starting, .running:
                    state.waiters.append(continuation)
                    return true
                }
            }
            if !waiting { continuation.resume() }
        }
    }

    private func finishLifecycle() {
        let waiters = lifecycle.withLock { state in
            state.phase = .stopped
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// An accepted connection, ready to serve.
    struct Accepted: Sendable {
        let connection: Connection
        let peer: PeerCredentials
        /// Its entry in the connection registry.
        let id: Int
    }

    /// Registers an accepted connection, installs the HTTP codec and the slow-client
    /// deadlines and reads its peer's credentials; `nil` for a connection over the
    /// cap, which is answered 503 and closed without reaching a handler task.
    ///
    /// Registering here, at accept time, rather than when a task picks the connection
    /// up means that shutdown also closes connections accepted just as the listener
    /// closed, which never reach a handler task.
    private static func initializeConnection(
        _ channel: Channel, core: ServerCore, throttles: ConnectionLogThrottles
    ) -> EventLoopFuture<Accepted?> {
        let limits = core.limits.current
        let registry = core.registry, metrics = core.metrics
        let id: Int
        switch registry.register(channel, limit: limits.maxConnections) {
        case .registered(let registered):
            id = registered
        case .full(let open):
            metrics.refusedConnections.increment()
            if let heldBack = throttles.refused.admit() {
                core.logger.warning("refusing connections: the connection limit is reached (server.max_connections)", metadata: [
                    "open": "\(open)", "limit": "\(limits.maxConnections ?? open)", "refused_not_logged": "\(heldBack)",
                ])
            }
            do {
                try channel.pipeline.syncOperations.addHandler(ConnectionRefuser(open: open))
            } catch {
                channel.close(promise: nil)
            }
            return channel.eventLoop.makeSucceededFuture(nil)
        case .shuttingDown:
            // NIO drops a connection whose initializer failed without closing it: close it here.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(HTTPServerError(.socketSetup, "shutting down"))
        }
        metrics.connections.increment()
        channel.closeFuture.whenComplete { _ in
            registry.unregister(id)
            metrics.connections.decrement()
        }
        let accepted = PeerCredentials.read(from: channel).flatMapThrowing { peer -> Accepted? in
            var logger = core.logger
            logger[metadataKey: "peer_uid"] = "\(peer.uid)"
            logger[metadataKey: "peer_pid"] = "\(peer.pid)"
            let deadlines = SlowClientGuard(limits: core.limits, logger: logger, metrics: metrics, throttle: throttles.slow)
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(deadlines.frontHandler)
            if let idleTimeout = limits.idleTimeout {
                try sync.addHandlers(IdleStateHandler(readTimeout: .nanoseconds(idleTimeout.nanoseconds)),
                                     IdleConnectionCloser(registry: registry, id: id))
            }
            try sync.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
            try sync.addHandler(deadlines.backHandler)
            let connection = try Connection(wrappingChannelSynchronously: channel)
            return Accepted(connection: connection, peer: peer, id: id)
        }
        accepted.whenFailure { _ in channel.close(promise: nil) }
        return accepted
    }
}
