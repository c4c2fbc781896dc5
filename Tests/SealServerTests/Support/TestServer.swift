import Foundation
import Logging
import SealServer
#if canImport(Glibc)
import Glibc
#endif

/// A private directory for one test's socket, removed afterwards.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/sealsrv-test-XXXXXX".utf8CString)
    let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
    guard created else { throw RawHTTPClient.Failure(description: "mkdtemp failed") }
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

let quietLogger = Logger(label: "seal.test") { _ in SwiftLogNoOpLogHandler() }

/// Starts a server on a fresh socket, runs `body` against it, then shuts it down
/// (gracefully, so that a test can also observe shutdown) and waits for `run()`.
func withTestServer(
    _ router: Router,
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (_ socketPath: String, _ server: HTTPServer) async throws -> Void
) async throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/api.sock"
    var configuration = HTTPServerConfiguration(listener: .unixSocket(path: path, mode: 0o660))
    configuration.shutdownGracePeriod = .seconds(5)
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, router: router, logger: quietLogger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        try await waitForSocket(path)
        do {
            try await body(path, server)
        } catch {
            await server.shutdown(gracefully: false)
            throw error
        }
        await server.shutdown(gracefully: true)
        try await group.waitForAll()
    }
}

/// Waits until the socket file exists (it appears atomically, already listening).
func waitForSocket(_ path: String) async throws {
    for _ in 0..<500 {
        if access(path, F_OK) == 0 { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw RawHTTPClient.Failure(description: "server did not create \(path)")
}

/// A one-shot signal between a handler and a test.
final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func open() {
        continuation.yield()
        continuation.finish()
    }

    /// Returns when opened; throws after `timeout`.
    func wait(timeout: Duration = .seconds(10)) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            let stream = self.stream
            group.addTask {
                for await _ in stream { return true }
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let opened = try await group.next() ?? false
            group.cancelAll()
            guard opened else { throw RawHTTPClient.Failure(description: "gate not opened within \(timeout)") }
        }
    }
}

/// A value set once by a handler and read by the test.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func set(_ value: Value) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    var value: Value? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
