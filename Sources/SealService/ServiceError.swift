/// A request the service cannot fulfil, with the HTTP status and API error code it maps to.
public struct ServiceError: Error, CustomStringConvertible, Sendable, Equatable {
    public let status: Int
    public let code: String
    public let message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func badRequest(_ message: String) -> ServiceError { .init(status: 400, code: "bad_request", message: message) }
    public static func forbidden(_ message: String) -> ServiceError { .init(status: 403, code: "forbidden", message: message) }
    public static func notFound(_ message: String) -> ServiceError { .init(status: 404, code: "not_found", message: message) }
    public static func conflict(_ message: String) -> ServiceError { .init(status: 409, code: "conflict", message: message) }
    public static func unprocessable(_ message: String, code: String = "unprocessable") -> ServiceError {
        .init(status: 422, code: code, message: message)
    }
    public static func tooManyRequests(_ message: String) -> ServiceError { .init(status: 429, code: "too_many_requests", message: message) }
    public static func unavailable(_ message: String, code: String = "unavailable") -> ServiceError {
        .init(status: 503, code: code, message: message)
    }
    public static func `internal`(_ message: String) -> ServiceError { .init(status: 500, code: "internal", message: message) }

    static let noModel = ServiceError.unavailable(
        "no model is loaded; load one with `sealctl models load PATH` (POST /api/models/load) or set model.path in seald.yaml",
        code: "model_not_loaded")
}
