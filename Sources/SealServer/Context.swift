import Logging

/// What a handler knows about the request beyond its content: who sent it, its
/// id, a logger carrying both, and the connection's fate.
public struct Context: Sendable {
    /// The client's kernel credentials (`SO_PEERCRED`).
    public var peer: PeerCredentials
    /// The client's `X-Request-ID` when it sent a sane one, else a fresh id;
    /// echoed in the response and attached to every log line of the request.
    public var requestID: String
    /// Logger with `request_id`, `peer_uid` and `peer_pid` metadata.
    public var logger: Logger
    /// The route pattern that matched, e.g. `/v1/models/:name`.
    public var route: String
    /// The server's access policy, for handlers that decide access per request.
    public var accessPolicy: AccessPolicy
    let scope: RequestScope?

    init(peer: PeerCredentials, requestID: String, logger: Logger, route: String,
         accessPolicy: AccessPolicy, scope: RequestScope?) {
        self.peer = peer
        self.requestID = requestID
        self.logger = logger
        self.route = route
        self.accessPolicy = accessPolicy
        self.scope = scope
    }

    /// A context for calling handlers directly in tests, with no connection behind it.
    public init(peer: PeerCredentials, requestID: String = "test", logger: Logger = Logger(label: "seal.test"),
                route: String = "", accessPolicy: AccessPolicy = AccessPolicy()) {
        self.init(peer: peer, requestID: requestID, logger: logger, route: route,
                  accessPolicy: accessPolicy, scope: nil)
    }

    /// `false` once the client closed the connection. The handler's task is also
    /// cancelled then, so `Task.isCancelled` and cancellation handlers work too.
    public var isClientConnected: Bool {
        scope.map { !$0.lifetime.isClosed } ?? true
    }

    /// Runs `action` if the client disconnects before this request finishes (at once
    /// if it already has). Use it to stop work that does not observe task
    /// cancellation, e.g. a decode loop on its own thread. Never called after the
    /// response has been completed.
    public func onClientDisconnect(_ action: @escaping @Sendable () -> Void) {
        scope?.onClientDisconnect(action)
    }

    /// Throws 403 (and logs who was refused) unless the peer may act at `level`.
    public func requireAccess(_ level: AccessPolicy.Level) throws(HTTPError) {
        if case .denied(let reason) = accessPolicy.check(level, peer: peer) {
            logger.warning("access denied", metadata: ["access": "\(level.rawValue)", "reason": "\(reason)"])
            throw .forbidden(reason)
        }
    }
}
