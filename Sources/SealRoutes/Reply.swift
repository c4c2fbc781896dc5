import Foundation
import NIOHTTP1
import SealAPI
import SealServer
import SealService

/// Glue between the service's errors and types and the HTTP server's.
enum Reply {
    /// Encodes with the API conventions (snake_case, ISO 8601).
    static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
        try Response.json(value, status: status, encoder: APIJSON.encoder())
    }

    /// Runs a handler body, turning every error into the API's error response.
    static func guarded(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as HTTPError {
            throw error
        } catch {
            throw httpError(error)
        }
    }

    static func httpError(_ error: any Error) -> HTTPError {
        switch error {
        case let error as HTTPError:
            return error
        case let error as ServiceError:
            return HTTPError(status(of: error.kind), code: error.code, message: error.message)
        case let error as APIDecodingError:
            return HTTPError(.badRequest, code: "bad_request", message: error.message)
        default:
            return HTTPError(.internalServerError, code: "internal", message: "\(error)")
        }
    }

    /// The one place a service failure becomes an HTTP status.
    static func status(of kind: ServiceError.Kind) -> HTTPResponseStatus {
        switch kind {
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unprocessable: .unprocessableEntity
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    static func errorBody(_ error: any Error) -> ErrorResponse {
        let http = httpError(error)
        return ErrorResponse(code: http.code, message: http.message)
    }
}
