import Foundation
import NIOCore
import NIOHTTP1

/// What a handler answers: a status, headers and either a complete body or a
/// stream written while the client reads it.
public struct Response: Sendable {
    /// The body of a response.
    public enum Body: Sendable {
        /// Sent with `Content-Length`.
        case data(Data)
        /// Sent with chunked transfer-encoding as the closure writes; the response
        /// ends when it returns. If it throws, the connection is closed without the
        /// final chunk, so the client sees a truncated (not a complete) response.
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = .data(body)
    }

    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response. Encoding failures are programming errors surfaced as 500.
    public static func json<T: Encodable>(
        _ value: T, status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:],
        encoder: JSONEncoder = defaultEncoder()
    ) throws -> Response {
        var response = Response(status: status, headers: headers, body: try encoder.encode(value))
        response.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return response
    }

    /// A plain-text response.
    public static func text(_ text: String, status: HTTPResponseStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: ["Content-Type": contentType], body: Data(text.utf8))
    }

    /// 204 No Content.
    public static var noContent: Response { Response(status: .noContent) }

    /// A streamed response: the handler returns at once and `body` writes chunks as
    /// they are produced (NDJSON tokens, progress lines).
    public static func stream(
        status: HTTPResponseStatus = .ok, contentType: String, headers: HTTPHeaders = [:],
        _ body: @escaping @Sendable (ResponseBodyWriter) async throws -> Void
    ) -> Response {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: contentType)
        return Response(status: status, headers: headers, body: .stream(body))
    }

    /// A Server-Sent Events stream (`text/event-stream`), for token-by-token generation.
    public static func serverSentEvents(
        headers: HTTPHeaders = [:], _ body: @escaping @Sendable (ServerSentEvents) async throws -> Void
    ) -> Response {
        var headers = headers
        headers.replaceOrAdd(name: "Cache-Control", value: "no-cache")
        return stream(contentType: "text/event-stream; charset=utf-8", headers: headers) { writer in
            try await body(ServerSentEvents(writer: writer))
        }
    }

    /// Sorted keys so that responses are stable and diffable.
    public static func defaultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
