import Foundation
import SealAPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP server on a temporary Unix socket that answers each connection with a script of
/// canned bytes, pauses and closes: enough to exercise the client's parsing, streaming, error
/// mapping and cancellation without seald.
final class FakeServer: @unchecked Sendable {
    /// One step of a reply script.
    enum Step: Sendable {
        case send(String)
        case sendBytes([UInt8])
        case pause(milliseconds: Int)
        /// Writes `text` every `milliseconds` until the client goes away (a generation that
        /// never ends); the server then records the disconnect.
        case repeatUntilDisconnect(String, milliseconds: Int)
        /// Reads nothing and sends nothing until the client closes.
        case waitForDisconnect
    }

    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    let socketPath: String
    private let listener: Int32
    private let script: @Sendable (Request) -> [Step]
    private let lock = NSLock()
    private var received: [Request] = []
    private var disconnects = 0
    private var stopped = false

    /// Starts listening; every connection is answered by `script(request)`.
    init(script: @escaping @Sendable (Request) -> [Step]) throws {
        socketPath = FakeServer.temporarySocketPath()
        self.script = script
        listener = try FakeServer.listen(at: socketPath)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Answers every request with the same steps.
    convenience init(_ steps: [Step]) throws {
        try self.init { _ in steps }
    }

    deinit { stop() }

    var requests: [Request] { lock.withLock { received } }
    var disconnectCount: Int { lock.withLock { disconnects } }

    /// Stops accepting and removes the socket file; every test calls it (`defer`), since the
    /// accept thread keeps the server alive until then. Safe to call twice.
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        // Only wake the accept thread here; it closes the descriptor itself. Closing it
        // from this thread would let the number be reused by another test's socket
        // while the accept loop is still calling accept() on it.
        _ = shutdown(listener, Int32(SHUT_RDWR))
        unlink(socketPath)
    }

    /// Polls until the server has read `count` whole requests, or `seconds` pass: a test that
    /// cancels an in-flight request waits for this first, or on a loaded machine it may cancel
    /// before the client has even connected.
    func waitForRequests(_ count: Int = 1, seconds: Double = 30) async -> Bool {
        await Self.poll(seconds: seconds) { requests.count >= count }
    }

    /// Polls until the server has seen `count` clients go away, or `seconds` pass.
    func waitForDisconnects(_ count: Int = 1, seconds: Double = 10) async -> Bool {
        await Self.poll(seconds: seconds) { disconnectCount >= count }
    }

    /// Whether `condition` holds within `seconds`, checked every 10 ms (and once more at the end).
    private static func poll(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func temporarySocketPath() -> String {
        "/tmp/seal-test-\(UUID().uuidString.prefix(12)).sock"
    }

    /// A socket bound at `path` and listening.
    static func listen(at path: String, backlog: Int32 = 16) throws -> Int32 {
        let fd = try bound(at: path)
        guard Glibc.listen(fd, backlog) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return fd
    }

    /// A socket bound at `path` but not listening: connecting to it is refused.
    static func bound(at path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return fd
    }

    // MARK: - Serving

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // stopped
            }
            if lock.withLock({ stopped }) {
                close(client)
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        guard let request = readRequest(fd) else { return }
        lock.withLock { received.append(request) }
        for step in script(request) {
            switch step {
            case .send(let text):
                guard write(fd, Array(text.utf8)) else { return recordDisconnect() }
            case .sendBytes(let bytes):
                guard write(fd, bytes) else { return recordDisconnect() }
            case .pause(let milliseconds):
                usleep(useconds_t(milliseconds * 1000))
            case .repeatUntilDisconnect(let text, let milliseconds):
                while write(fd, Array(text.utf8)) { usleep(useconds_t(milliseconds * 1000)) }
                return recordDisconnect()
            case .waitForDisconnect:
                var byte: UInt8 = 0
                while recv(fd, &byte, 1, 0) > 0 {}
                return recordDisconnect()
            }
        }
    }

    private func recordDisconnect() { lock.withLock { disconnects += 1 } }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            offset += count
        }
        return true
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            headEnd = buffer.indices.dropLast(3).first { Array(buffer[$0..<$0 + 4]) == separator }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(headEnd + 4)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            body += chunk[0..<count]
        }
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers, body: Data(body))
    }
}

/// Canned HTTP pieces.
enum Reply {
    /// A whole response with `Content-Length`.
    static func http(_ status: Int = 200, _ reason: String = "OK", body: String = "", contentType: String = "application/json",
                     extraHeaders: String = "") -> String {
        "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
    }

    /// The head of a chunked response.
    static func chunkedHead(_ status: Int = 200, contentType: String = "application/json") -> String {
        "HTTP/1.1 \(status) OK\r\nContent-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n\r\n"
    }

    /// The head of an event stream (chunked, as seald sends it).
    static let eventStreamHead = chunkedHead(contentType: "text/event-stream")

    static func chunk(_ text: String) -> String {
        "\(String(text.utf8.count, radix: 16))\r\n\(text)\r\n"
    }

    static let lastChunk = "0\r\n\r\n"

    /// One SSE event in one chunk.
    static func event(_ name: String, _ data: String) -> String {
        chunk("event: \(name)\ndata: \(data)\n\n")
    }

    static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? APIJSON.encode(value)) ?? Data(), as: UTF8.self)
    }
}
