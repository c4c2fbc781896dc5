import Foundation
import SealAPI

/// A route of the API together with the type it answers with, so that a caller can either
/// decode the answer (``SealClient/call(_:)``) or take its raw JSON (``SealClient/data(_:)``,
/// what `sealctl --json` prints) without spelling the route twice.
public struct Endpoint<Response: Decodable>: Sendable {
    public var method: HTTPMethod
    /// Origin-form path with any query, ids already percent-encoded.
    public var path: String
    /// Encoded with the API's JSON conventions when sent.
    public var body: (any Encodable & Sendable)?

    public init(_ method: HTTPMethod, _ path: String, body: (any Encodable & Sendable)? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }
}

/// The answer of endpoints that return no body (`204 No Content`).
public struct NoContent: Decodable, Sendable, Equatable {
    public init() {}
}

extension SealClient {
    /// Sends `endpoint` and decodes its 2xx answer.
    public func call<Response: Decodable>(_ endpoint: Endpoint<Response>) async throws -> Response {
        let body = try await data(endpoint)
        if Response.self == NoContent.self, let none = NoContent() as? Response { return none }
        return try Self.decode(Response.self, from: body, context: "\(endpoint.method.rawValue) \(endpoint.path)")
    }

    /// Sends `endpoint` and returns its 2xx answer's raw body.
    public func data<Response: Decodable>(_ endpoint: Endpoint<Response>) async throws -> Data {
        let body = try endpoint.body.map { try Self.encode($0) }
        return try await data(endpoint.method, endpoint.path, body: body)
    }
}
