import Foundation

/// The request methods the seal API uses.
public enum HTTPMethod: String, Sendable, Equatable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
}

/// One HTTP/1.1 request, serialized in full before it is written: the API's bodies are small JSON
/// documents, so there is nothing to gain from streaming them.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    /// Origin-form target, e.g. `/api/jobs?state=running`.
    public var path: String
    /// Extra header fields; `Host`, `Content-Length` and `Connection` are always set by the client.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: HTTPMethod, path: String, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The bytes on the wire. One request per connection (`Connection: close`) keeps the client
    /// free of connection reuse bugs; a Unix socket connect costs microseconds.
    func serialized() throws(ClientError) -> [UInt8] {
        guard path.hasPrefix("/"), !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else {
            throw ClientError.protocolError("invalid request path '\(path)'")
        }
        var head = "\(method.rawValue) \(path) HTTP/1.1\r\n"
        head += "Host: localhost\r\n"
        head += "User-Agent: sealctl\r\n"
        head += "Connection: close\r\n"
        var hasAccept = false
        for (name, value) in headers {
            guard !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw ClientError.protocolError("invalid header '\(name)'")
            }
            if name.lowercased() == "accept" { hasAccept = true }
            head += "\(name): \(value)\r\n"
        }
        if !hasAccept { head += "Accept: application/json\r\n" }
        if let body {
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                head += "Content-Type: application/json\r\n"
            }
            head += "Content-Length: \(body.count)\r\n"
        } else if method == .post || method == .put {
            head += "Content-Length: 0\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if let body { bytes.append(contentsOf: body) }
        return bytes
    }
}
