import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a Unix socket, written with plain
/// syscalls so the tests exercise the server with exactly the bytes they choose
/// (malformed requests, half-sent bodies, abrupt closes).
///
/// Blocking: run it through ``onThread(_:)`` so it never ties up a Swift
/// concurrency thread that the server's handlers need.
final class RawHTTPClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let fd: Int32
    private var pending = Data()

    /// Connects to `path`; reads time out after `timeout` seconds so a broken server fails a test instead of hanging it.
    init(path: String, timeout: Int = 10) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            // No close here: every stored property is set, so deinit runs and closes fd.
            // Closing twice could close a descriptor another test has just been given.
            let code = errno
            throw Failure(description: "connect \(path): \(String(cString: strerror(code)))")
        }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    /// Closes the connection now (the deinit would too, later).
    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Shuts down the sending side only (`shutdown(SHUT_WR)`): the server reads end
    /// of stream, and the client can still read the answer.
    func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    func send(_ text: String) throws {
        try send(Data(text.utf8))
    }

    func send(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
    }

    /// Sends a request with `Content-Length` when there is a body.
    func request(_ method: String, _ target: String, headers: [String: String] = [:], body: String? = nil) throws -> Reply {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        try send(text)
        return try readReply()
    }

    /// Reads more bytes into the buffer; `false` at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        // A connection the server never accepted is reset when its listener closes: also "closed".
        if count < 0 && errno == ECONNRESET { return false }
        if count < 0 { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
        if count == 0 { return false }
        pending.append(contentsOf: chunk[0..<count])
        return true
    }

    /// The bytes up to and including `marker`.
    func read(until marker: String) throws -> String {
        let needle = Data(marker.utf8)
        while true {
            if let range = pending.range(of: needle) {
                let prefix = pending[pending.startIndex..<range.upperBound]
                pending.removeSubrange(pending.startIndex..<range.upperBound)
                return String(decoding: prefix, as: UTF8.self)
            }
            guard try fill() else { throw Failure(description: "connection closed before \(marker.debugDescription)") }
        }
    }

    private func read(count: Int) throws -> Data {
        while pending.count < count {
            guard try fill() else { throw Failure(description: "connection closed inside a body") }
        }
        let prefix = pending.prefix(count)
        pending.removeFirst(count)
        return Data(prefix)
    }

    /// Whether the server closed the connection (reads end of stream with nothing pending).
    func isClosedByPeer() throws -> Bool {
        pending.isEmpty ? try !fill() : false
    }

    /// Reads the status line and headers only.
    func readHead() throws -> (status: Int, headers: [String: String]) {
        let head = try read(until: "\r\n\r\n")
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// Reads one chunk of a chunked body; `nil` at the last (empty) chunk.
    func readChunk() throws -> Data? {
        // "\r\n" is one Character in Swift: trim, don't count.
        let sizeLine = try read(until: "\r\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let size = Int(sizeLine, radix: 16) else { throw Failure(description: "bad chunk size \(sizeLine)") }
        let data = try read(count: size)
        _ = try read(until: "\r\n")
        return size == 0 ? nil : data
    }

    /// Reads a complete response, skipping `100 Continue`.
    func readReply() throws -> Reply {
        var (status, headers) = try readHead()
        while status == 100 { (status, headers) = try readHead() }
        var body = Data()
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while let chunk = try readChunk() { body.append(chunk) }
        } else if let length = headers["content-length"].flatMap(Int.init) {
            body = try read(count: length)
        }
        return Reply(status: status, headers: headers, body: body)
    }
}

/// Runs blocking work on its own thread and awaits it.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
