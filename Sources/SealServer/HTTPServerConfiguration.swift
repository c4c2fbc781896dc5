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
    /// Larger request bodies get 413. Default 1 MiB.
    public var maxRequestBodyBytes: Int
    /// Limit of one request from its head to its last byte of response, streams
    /// included; the handler is cancelled then, and the client gets 503 if nothing
    /// was sent yet (or a truncated stream). `nil`: no limit. Default 600 s.
    public var requestTimeout: Duration?
    /// A connection that sends nothing for this long between requests is closed,
    /// so forgotten keep-alive clients do not pile up. `nil`: never. Default 300 s.
    public var idleTimeout: Duration?
    /// How long ``HTTPServer/shutdown(gracefully:)`` lets in-flight requests finish
    /// before closing their connections. Default 30 s (below systemd's 90 s stop timeout).
    public var shutdownGracePeriod: Duration
    /// Who may call which routes.
    public var accessPolicy: AccessPolicy

    public init(
        listener: Listener,
        maxRequestBodyBytes: Int = 1 << 20,
        requestTimeout: Duration? = .seconds(600),
        idleTimeout: Duration? = .seconds(300),
        shutdownGracePeriod: Duration = .seconds(30),
        accessPolicy: AccessPolicy = AccessPolicy()
    ) {
        self.listener = listener
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.accessPolicy = accessPolicy
    }
}
