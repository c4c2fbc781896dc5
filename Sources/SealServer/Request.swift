import Foundation
import NIOCore
import NIOHTTP1

/// One complete HTTP request: head and body, already size-checked.
public struct Request: Sendable {
    public var method: HTTPMethod
    /// The percent-decoded path, without the query (`/v1/models/smollm2`).
    public var path: String
    /// Query parameters, percent-decoded; for a repeated name the last value wins.
    public var query: [String: String]
    public var headers: HTTPHeaders
    /// The body, at most the configured `maxRequestBodyBytes`.
    public var body: ByteBuffer
    /// Values of the route's `:name` segments.
    public var pathParameters: [String: String]
    /// The request target as sent (`/v1/models?loaded=true`).
    public var uri: String

    public init(
        method: HTTPMethod, uri: String, path: String, query: [String: String] = [:],
        headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer(), pathParameters: [String: String] = [:]
    ) {
        self.method = method
        self.uri = uri
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.pathParameters = pathParameters
    }

    /// The body as `Data`.
    public var bodyData: Data {
        Data(body.readableBytesView)
    }

    /// A path parameter the route declares. A missing one is a routing bug, hence 500.
    public func parameter(_ name: String) throws(HTTPError) -> String {
        guard let value = pathParameters[name] else {
            throw .internalError("route has no parameter ':\(name)'")
        }
        return value
    }

    /// A query parameter converted to `T`; `nil` when absent, 400 when it does not convert.
    public func query<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws(HTTPError) -> T? {
        guard let text = query[name] else { return nil }
        guard let value = T(text) else {
            throw .badRequest("query parameter '\(name)': cannot read \"\(text)\" as \(T.self)")
        }
        return value
    }

    /// Decodes a JSON body, answering the client's mistakes precisely:
    /// 415 for a non-JSON content type, 400 for an empty or malformed body,
    /// 422 for JSON of the wrong shape (naming the key path).
    ///
    /// `application/x-www-form-urlencoded` is tolerated because it is what
    /// `curl -d` sends unless told otherwise.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws(HTTPError) -> T {
        if let contentType = headers.first(name: "content-type") {
            let mediaType = contentType.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
            let isJSON = mediaType == "application/json" || mediaType.hasSuffix("+json")
            guard isJSON || mediaType == "application/x-www-form-urlencoded" else {
                throw .unsupportedMediaType("expected Content-Type: application/json, got \(contentType)")
            }
        }
        guard body.readableBytes > 0 else {
            throw .badRequest("the request body is empty; expected a JSON object")
        }
        do {
            return try decoder.decode(T.self, from: bodyData)
        } catch let error as DecodingError {
            throw Request.describe(error)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
    }

    static func describe(_ error: DecodingError) -> HTTPError {
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce(into: "") { text, key in
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .badRequest("the request body is not valid JSON")
        case .dataCorrupted(let context):
            return .unprocessable("'\(path(context.codingPath))': \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return .unprocessable("missing key '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)'")
        case .typeMismatch(let type, let context):
            return .unprocessable("'\(path(context.codingPath))': expected \(type)")
        case .valueNotFound(let type, let context):
            return .unprocessable("'\(path(context.codingPath))': expected \(type), got null")
        @unknown default:
            return .unprocessable("the request body does not have the expected shape")
        }
    }
}

/// Splits a request target into a decoded path and query; `nil` when it is not origin-form or not decodable.
func parseTarget(_ uri: String) -> (path: String, segments: [String], query: [String: String])? {
    let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    guard let rawPath = parts.first, rawPath.hasPrefix("/") else { return nil }
    var segments: [String] = []
    for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
        guard let decoded = String(raw).removingPercentEncoding else { return nil }
        segments.append(decoded)
    }
    var query: [String: String] = [:]
    if parts.count == 2 {
        for pair in parts[1].split(separator: "&", omittingEmptySubsequences: true) {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let key = decode(keyValue[0]) else { return nil }
            let value = keyValue.count == 2 ? decode(keyValue[1]) : ""
            guard let value else { return nil }
            query[key] = value
        }
    }
    guard let path = String(rawPath).removingPercentEncoding else { return nil }
    return (path, segments, query)
}
