import Foundation
import NIOHTTP1
import SealAPI
import SealServer

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
            return HTTPError(HTTPResponseStatus(statusCode: error.status), code: error.code, message: error.message)
        case let error as APIDecodingError:
            return HTTPError(.badRequest, code: "bad_request", message: error.message)
        default:
            return HTTPError(.internalServerError, code: "internal", message: "\(error)")
        }
    }

    static func errorBody(_ error: any Error) -> ErrorResponse {
        let http = httpError(error)
        return ErrorResponse(code: http.code, message: http.message)
    }
}

extension Request {
    /// Decodes a JSON body strictly (unknown fields refused) with messages naming the field.
    func apiBody<T: Decodable>(_ type: T.Type) throws -> T {
        if let contentType = headers.first(name: "content-type") {
            let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard media == "application/json" || media.hasSuffix("+json") || media == "application/x-www-form-urlencoded" else {
                throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type",
                                message: "expected Content-Type: application/json, got \(contentType)")
            }
        }
        guard body.readableBytes > 0 else { throw ServiceError.badRequest("the request body is empty; expected a JSON object") }
        return try APIJSON.decode(T.self, from: bodyData)
    }
}
