import Foundation
import SealAPI

/// A client of seald's HTTP API over its Unix domain socket.
///
/// Every request opens its own connection and runs its blocking socket I/O on a dedicated
/// thread; the value is cheap to copy and safe to share between tasks. Cancelling the task
/// that awaits a request (or consumes a stream) shuts the connection down at once, which the
/// daemon sees as a disconnect and uses to stop the work it was doing for it.
///
/// The typed helpers (`get`, `post`, ``call(_:)``) throw ``ClientError`` for daemon, protocol and
/// connection failures, and `CancellationError` when cancelled. Streams (``events(_:_:body:)``,
/// ``generateStream(_:)``, ``jobEvents(_:)``) end early, without an error, when the consuming
/// task is cancelled, as `AsyncThrowingStream` does: check `Task.isCancelled` after the loop.
public struct SealClient: Sendable {
    /// Where seald listens unless configured otherwise (systemd socket activation uses it too).
    public static let defaultSocketPath = "/run/seal/seald.sock"
    /// The environment variable that overrides ``defaultSocketPath``.
    public static let socketEnvironmentVariable = "SEAL_SOCKET"

    public let socketPath: String
    /// The longest wait for the next byte from the daemon; nil waits as long as it takes (a long
    /// prompt's prefill sends nothing for a while).
    public var timeout: Duration?

    public init(socketPath: String = SealClient.defaultSocketPath, timeout: Duration? = nil) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// `$SEAL_SOCKET` when set and non-empty, else ``defaultSocketPath``.
    public static func socketPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment[socketEnvironmentVariable], !path.isEmpty { return path }
        return defaultSocketPath
    }

    // MARK: - Raw requests

    /// Sends `request` and returns the response whatever its status: for callers (and tests)
    /// that want to look at statuses and headers themselves.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let connection = UnixSocketConnection(path: socketPath, timeout: timeout)
        return try await runOnIOThread(connection) {
            var exchange = HTTPExchange(connection: connection)
            let head = try exchange.start(request)
            return HTTPResponse(head: head, body: try exchange.readBody())
        }
    }

    public func send(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> HTTPResponse {
        try await send(HTTPRequest(method: method, path: path, body: body))
    }

    /// The body of a 2xx response; any other status throws ``ClientError/server(status:code:message:)``.
    public func data(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> Data {
        let response = try await send(method, path, body: body)
        guard response.head.isSuccess else { throw response.serverError() }
        return response.body
    }

    // MARK: - Typed requests

    /// `GET path`, decoded with the API's JSON conventions.
    public func get<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try Self.decode(type, from: await data(.get, path), context: "GET \(path)")
    }

    /// `POST path` without a body.
    public func post<T: Decodable>(_ path: String, as type: T.Type = T.self) async throws -> T {
        try Self.decode(type, from: await data(.post, path), context: "POST \(path)")
    }

    /// `POST path` with `json` encoded as API JSON.
    public func post<Body: Encodable, T: Decodable>(_ path: String, json: Body, as type: T.Type = T.self) async throws -> T {
        let encoded = try Self.encode(json)
        return try Self.decode(type, from: await data(.post, path, body: encoded), context: "POST \(path)")
    }

    /// `DELETE path`, expecting no content back.
    public func delete(_ path: String) async throws {
        _ = try await data(.delete, path)
    }

    // MARK: - Coding

    /// Encodes a request body with the API's conventions (snake_case keys, ISO 8601 dates).
    public static func encode<Body: Encodable>(_ body: Body) throws(ClientError) -> Data {
        do {
            return try APIJSON.encode(body)
        } catch {
            throw ClientError.protocolError("cannot encode the request body: \(error)")
        }
    }

    /// Decodes a response body; a body that does not match the contract is a protocol error
    /// naming the request and the field.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, context: String) throws(ClientError) -> T {
        do {
            return try APIJSON.decode(type, from: data)
        } catch {
            throw ClientError.protocolError("\(context): \(error.message)")
        }
    }

    /// `value` percent-encoded as one path segment, so an id can never change the route.
    public static func pathSegment(_ value: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
