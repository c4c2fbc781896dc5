import Foundation
import NIOHTTP1

/// An error answer: thrown by a handler, sent to the client as JSON.
///
/// Every error the API returns has the same shape, so clients need one decoder:
/// `{"error": {"code": "bad_request", "message": "..."}}`. `code` is stable and
/// machine-readable; `message` is a sentence for people.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponseStatus
    /// Stable snake_case identifier, e.g. `model_not_loaded`; defaults from the status.
    public var code: String
    /// Human-readable explanation.
    public var message: String
    /// Extra headers, e.g. `Allow` for 405 or `Retry-After` for 429/503.
    public var headers: HTTPHeaders

    public init(_ status: HTTPResponseStatus, code: String? = nil, message: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code ?? HTTPError.defaultCode(for: status)
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public static func badRequest(_ message: String, code: String = "bad_request") -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    public static func forbidden(_ message: String) -> HTTPError {
        HTTPError(.forbidden, message: message)
    }

    public static func notFound(_ message: String, code: String = "not_found") -> HTTPError {
        HTTPError(.notFound, code: code, message: message)
    }

    public static func methodNotAllowed(_ method: HTTPMethod, allowed: [HTTPMethod]) -> HTTPError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPError(
            .methodNotAllowed, message: "method \(method.rawValue) is not allowed here; allowed: \(list)",
            headers: ["Allow": list])
    }

    public static func payloadTooLarge(limit: Int) -> HTTPError {
        HTTPError(.payloadTooLarge, message: "request body exceeds the limit of \(limit) bytes (limits.max_request_bytes)")
    }

    public static func unsupportedMediaType(_ message: String) -> HTTPError {
        HTTPError(.unsupportedMediaType, message: message)
    }

    public static func unprocessable(_ message: String, code: String = "unprocessable_entity") -> HTTPError {
        HTTPError(.unprocessableEntity, code: code, message: message)
    }

    /// 429 with `Retry-After` when known: the queue is full, come back later.
    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int? = nil) -> HTTPError {
        var headers = HTTPHeaders()
        if let retryAfterSeconds { headers.add(name: "Retry-After", value: "\(retryAfterSeconds)") }
        return HTTPError(.tooManyRequests, message: message, headers: headers)
    }

    /// 500 without details: the details go to the log, not to the client.
    public static func internalError(_ message: String = "internal error; see the daemon's log") -> HTTPError {
        HTTPError(.internalServerError, message: message)
    }

    public static func unavailable(_ message: String, code: String = "unavailable", retryAfterSeconds: Int? = nil) -> HTTPError {
        var headers = HTTPHeaders()
        if let retryAfterSeconds { headers.add(name: "Retry-After", value: "\(retryAfterSeconds)") }
        return HTTPError(.serviceUnavailable, code: code, message: message, headers: headers)
    }

    /// The JSON response sent for this error.
    public var response: Response {
        let body = ErrorBody(error: .init(code: code, message: message))
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"code":"internal_error","message":""}}"#.utf8)
        var response = Response(status: status, headers: headers, body: data)
        response.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return response
    }

    static func defaultCode(for status: HTTPResponseStatus) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .requestTimeout: "request_timeout"
        case .conflict: "conflict"
        case .payloadTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .unprocessableEntity: "unprocessable_entity"
        case .tooManyRequests: "too_many_requests"
        case .internalServerError: "internal_error"
        case .notImplemented: "not_implemented"
        case .serviceUnavailable: "unavailable"
        case .gatewayTimeout: "timeout"
        default: "http_\(status.code)"
        }
    }
}

/// The wire shape of an error, public so clients in Swift can decode it.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail
    public init(error: Detail) { self.error = error }
}
