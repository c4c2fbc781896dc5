/// A request the service cannot fulfil: what went wrong (``Kind``), a stable code for
/// programs and a message a user can act on.
///
/// The service knows nothing of HTTP: `SealRoutes` maps each kind to a status.
public struct ServiceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why the request failed, from the caller's point of view.
    public enum Kind: Sendable, Equatable {
        /// The request itself is malformed (a missing or contradictory field).
        case badRequest
        /// The caller may not do this.
        case forbidden
        /// A record the request names does not exist.
        case notFound
        /// The request contradicts the state of a record (a finished job cancelled).
        case conflict
        /// Well-formed, but the service cannot do it (too long, a plugin refused).
        case unprocessable
        /// Every generation slot is taken and the queue is full: try again later.
        case tooManyRequests
        /// The service cannot serve it now (no model, memory busy).
        case unavailable
        /// A fault of the service, not of the request.
        case `internal`
    }

    public let kind: Kind
    public let code: String
    public let message: String

    public init(_ kind: Kind, code: String, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func badRequest(_ message: String) -> ServiceError { .init(.badRequest, code: "bad_request", message: message) }
    public static func forbidden(_ message: String) -> ServiceError { .init(.forbidden, code: "forbidden", message: message) }
    public static func notFound(_ message: String) -> ServiceError { .init(.notFound, code: "not_found", message: message) }
    public static func conflict(_ message: String) -> ServiceError { .init(.conflict, code: "conflict", message: message) }
    public static func unprocessable(_ message: String, code: String = "unprocessable") -> ServiceError {
        .init(.unprocessable, code: code, message: message)
    }
    public static func tooManyRequests(_ message: String) -> ServiceError {
        .init(.tooManyRequests, code: "too_many_requests", message: message)
    }
    public static func unavailable(_ message: String, code: String = "unavailable") -> ServiceError {
        .init(.unavailable, code: code, message: message)
    }
    public static func `internal`(_ message: String) -> ServiceError { .init(.internal, code: "internal", message: message) }

    static let noModel = ServiceError.unavailable(
        "no model is loaded; load one with `sealctl models load PATH` (POST /api/models/load) or set model.path in seald.yaml",
        code: "model_not_loaded")
}
