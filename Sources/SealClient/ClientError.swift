#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong talking to seald, sorted by what the caller can do about it:
/// start the daemon, fix permissions, change the request, or report a bug.
///
/// Task cancellation is not a `ClientError`: a cancelled request throws `CancellationError`.
public enum ClientError: Error, Sendable, Equatable {
    /// Nothing listens on the socket: the file is missing (`ENOENT`, `ENOTDIR`) or stale
    /// (`ECONNREFUSED`). `errno` is the `connect(2)` error.
    case daemonNotRunning(socketPath: String, errno: Int32)
    /// The socket (or its directory) is not accessible to this user. `group` is the group that
    /// owns it, when it could be read, so the message can say which group to join.
    case permissionDenied(socketPath: String, group: String?)
    /// The daemon answered with a 4xx/5xx `ErrorResponse`, or an `error` event inside a stream
    /// (whose status is derived from the stable error code; see ``ClientError/status(forCode:)``).
    case server(status: Int, code: String, message: String)
    /// The daemon's bytes are not the HTTP, SSE or JSON that the API promises.
    case protocolError(String)
    /// The connection failed for another reason (reset, socket path too long, ...).
    case connectionFailed(socketPath: String, reason: String)
    /// No byte arrived within the client's timeout.
    case timeout
}

extension ClientError: CustomStringConvertible {
    /// One or two sentences a person can act on; sealctl prints them as they are.
    public var description: String {
        switch self {
        case .daemonNotRunning(let path, let errno):
            let detail = errno == ECONNREFUSED ? "nothing is listening on \(path)" : "no socket at \(path)"
            return "seald is not running (\(detail)). Start it with `systemctl start seald.socket` or run `seald`; "
                + "or point sealctl at another socket with --socket / SEAL_SOCKET."
        case .permissionDenied(let path, let group):
            let group = group ?? "seal"
            return "permission denied on \(path): join the '\(group)' group "
                + "(`sudo usermod -aG \(group) $USER`, then log in again) or run sealctl as root."
        case .server(let status, let code, let message):
            return "\(message) (\(code), HTTP \(status))"
        case .protocolError(let message):
            return "unexpected response from seald: \(message)"
        case .connectionFailed(let path, let reason):
            return "cannot talk to seald on \(path): \(reason)"
        case .timeout:
            return "seald did not answer in time"
        }
    }
}

extension ClientError {
    /// The HTTP status seald uses for a stable error code, for errors that arrive inside an
    /// event stream after the `200 OK` head was sent (mirrors the daemon's `ServiceError`).
    public static func status(forCode code: String) -> Int {
        switch code {
        case "bad_request": 400
        case "unauthorized": 401
        case "forbidden": 403
        case "not_found": 404
        case "method_not_allowed": 405
        case "conflict": 409
        case "payload_too_large": 413
        case "unprocessable", "context_overflow": 422
        case "too_many_requests": 429
        case "unavailable", "model_not_loaded": 503
        default: 500
        }
    }
}

/// `strerror(3)` as a Swift string.
func systemErrorMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
}
