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

        let httpMetrics = HTTPMetrics(registry: metrics)
        let registry = self.registry
        let listener = try await UnixSocketListener.bind(
            configuration.listener, group: eventLoopGroup, logger: logger
        ) { [idleTimeout = configuration.idleTimeout] channel in
            Self.initializeConnection(channel, registry: registry, metrics: httpMetrics, idleTimeout: idleTimeout)
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

        let core = ServerCore(router: router, configuration: configuration, logger: logger,
                              registry: registry, metrics: httpMetrics, accessPolicy: sharedPolicy)
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await accepted in inbound {
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

    /// Registers an accepted connection, installs the HTTP codec and reads its peer's credentials.
    ///
    /// Registering here, at accept time, rather than when a task picks the connection
    /// up means that shutdown also closes connections accepted just as the listener
    /// closed, which never reach a handler task.
    private static func initializeConnection(
        _ channel: Channel, registry: ConnectionRegistry, metrics: HTTPMetrics, idleTimeout: Duration?
    ) -> EventLoopFuture<Accepted> {
        guard let id = registry.register(channel) else {
            // NIO drops a connection whose initializer failed without closing it: close it here.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(HTTPServerError(.socketSetup, "shutting down"))
        }
        metrics.connections.increment()
        channel.closeFuture.whenComplete { _ in
            registry.unregister(id)
            metrics.connections.decrement()
        }
        let accepted = PeerCredentials.read(from: channel).flatMapThrowing { peer in
            if let idleTimeout {
                let nanoseconds = idleTimeout.components.seconds * 1_000_000_000
                    + idleTimeout.components.attoseconds / 1_000_000_000
                try channel.pipeline.syncOperations.addHandlers(
                    IdleStateHandler(readTimeout: .nanoseconds(nanoseconds)),
                    IdleConnectionCloser(registry: registry, id: id))
            }
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false)
            let connection = try Connection(wrappingChannelSynchronously: channel)
            return Accepted(connection: connection, peer: peer, id: id)
        }
        accepted.whenFailure { _ in channel.close(promise: nil) }
        return accepted
    }
}
