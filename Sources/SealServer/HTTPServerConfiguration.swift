#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How the server listens and what it tolerates.
public struct HTTPServerConfiguration: Sendable {
    /// Where connections come from.
    public enum Listener: Sendable, Equatable {
        /// Create the socket file at `path` (absolute), with permission bits `mode`,
        /// owned by `group` (a name or gid; `nil` keeps the process's group).
        /// A stale socket file is replaced; a live one (another daemon) is an error.
        case unixSocket(path: String, mode: mode_t = 0o660, group: String? = nil)
        /// Adopt a listening Unix stream socket that is already bound, typically
        /// one passed by systemd (see `SocketActivation` in SealSystemd). The socket
        /// file belongs to whoever created it and is not removed on shutdown.
        case inheritedSocket(fileDescriptor: Int32)
    }

    public var listener: Listener
    /// Size, time and connection limits; these may change later (``HTTPServer/updateLimits(_:)``).
    public var limits: HTTPServerLimits
    /// How long ``HTTPServer/shutdown(gracefully:)`` lets in-flight requests finish
    /// before closing their connections. Default 30 s (below systemd's 90 s stop timeout).
    public var shutdownGracePeriod: Duration
    /// Who may call which routes.
    public var accessPolicy: AccessPolicy

    /// ``HTTPServerLimits/maxRequestBodyBytes`` of ``limits``.
    public var maxRequestBodyBytes: Int {
        get { limits.maxRequestBodyBytes }
        set { limits.maxRequestBodyBytes = newValue }
    }

    /// ``HTTPServerLimits/requestTimeout`` of ``limits``.
    public var requestTimeout: Duration? {
        get { limits.requestTimeout }
        set { limits.requestTimeout = newValue }
    }

    /// ``HTTPServerLimits/idleTimeout`` of ``limits``.
    public var idleTimeout: Duration? {
        get { limits.idleTimeout }
        set { limits.idleTimeout = newValue }
    }

    public init(
        listener: Listener,
        maxRequestBodyBytes: Int = 1 << 20,
        requestTimeout: Duration? = .seconds(600),
        idleTimeout: Duration? = .seconds(300),
        shutdownGracePeriod: Duration = .seconds(30),
        accessPolicy: AccessPolicy = AccessPolicy()
    ) {
        self.init(
            listener: listener,
            limits: HTTPServerLimits(maxRequestBodyBytes: maxRequestBodyBytes, requestTimeout: requestTimeout,
                                     idleTimeout: idleTimeout),
            shutdownGracePeriod: shutdownGracePeriod, accessPolicy: accessPolicy)
    }

    public init(
        listener: Listener,
        limits: HTTPServerLimits,
        shutdownGracePeriod: Duration = .seconds(30),
        accessPolicy: AccessPolicy = AccessPolicy()
    ) {
        self.listener = listener
        self.limits = limits
        self.shutdownGracePeriod = shutdownGracePeriod
        self.accessPolicy = accessPolicy
    }
}
