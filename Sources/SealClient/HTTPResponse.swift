import Foundation
import SealAPI

/// The status line and header fields of a response.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// Fields in the order received; names keep their case, lookups ignore it.
    public var headers: [HTTPHeaderField]

    public init(status: Int, reason: String, headers: [HTTPHeaderField]) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// The first field named `name` (case-insensitive), as HTTP field names are.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// A complete response with its body, for requests that are not streamed.
public struct HTTPResponse: Sendable, Equatable {
    public var head: HTTPResponseHead
    public var body: Data

    public init(head: HTTPResponseHead, body: Data) {
        self.head = head
        self.body = body
    }

    public var status: Int { head.status }

    /// The `ClientError.server` for a non-2xx response, built from its `ErrorResponse` body; a
    /// body that is not one (a proxy's HTML, a crash) still gives a readable message.
    public func serverError() -> ClientError {
        ClientError.response(status: head.status, reason: head.reason, body: body)
    }
}

extension ClientError {
    /// The error for a non-2xx response with `body`.
    static func response(status: Int, reason: String, body: Data) -> ClientError {
        if let decoded = try? APIJSON.decode(ErrorResponse.self, from: body) {
            return .server(status: status, code: decoded.error.code, message: decoded.error.message)
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let code = status >= 500 ? "internal" : "http_\(status)"
        return .server(status: status, code: code, message: text.isEmpty ? "HTTP \(status) \(reason)" : text)
    }
}
