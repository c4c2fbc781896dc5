import Foundation

extension SealClient {
    /// Streams the body of `GET path` into the file at `url` (a `.part` file beside it, renamed
    /// when the body is complete), calling `progress` with the bytes written so far. Returns the
    /// size. A non-2xx answer throws its ``ClientError/server(status:code:message:)``; a body
    /// that ends short of `expectedSize` (when given) is an error and leaves no file behind.
    /// Local file errors are thrown as `CocoaError`s.
    public func download(_ path: String, to url: URL, expectedSize: Int? = nil,
                         progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let connection = UnixSocketConnection(path: socketPath, timeout: timeout)
        return try await runOnIOThread(connection) {
            var exchange = HTTPExchange(connection: connection)
            let head = try exchange.start(HTTPRequest(method: .get, path: path))
            guard head.isSuccess else {
                throw ClientError.response(status: head.status, reason: head.reason, body: try exchange.readBody(limit: 1 << 20))
            }
            let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).part")
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                // A local file problem, not the daemon's: a CocoaError callers can tell apart.
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial.path])
            }
            var written = 0
            do {
                let handle = try FileHandle(forWritingTo: partial)
                defer { try? handle.close() }
                while let chunk = try exchange.nextBodyChunk() {
                    try handle.write(contentsOf: chunk)
                    written += chunk.count
                    progress(written)
                }
                if let expectedSize, written != expectedSize {
                    throw ClientError.protocolError("\(path): received \(written) bytes, expected \(expectedSize)")
                }
                try handle.synchronize()
                _ = try? FileManager.default.removeItem(at: url)
                try FileManager.default.moveItem(at: partial, to: url)
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
            return written
        }
    }
}
