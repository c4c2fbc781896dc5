import Foundation
import SealServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Listening socket")
struct SocketFileTests {
    private func helloRouter() -> Router {
        var router = Router()
        router.get("/ping") { _, _ in .text("pong") }
        return router
    }

    @Test func socketGetsModeAndGroupAndNoStagingLeftovers() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/api.sock"
        // A group we are allowed to give the file to: our own primary group, by number.
        let group = String(getgid())
        let server = HTTPServer(
            configuration: .init(listener: .unixSocket(path: path, mode: 0o600, group: group)),
            router: helloRouter(), logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            try await waitForSocket(path)
            var info = stat()
            #expect(lstat(path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK)
            #expect(info.st_mode & 0o7777 == 0o600)
            #expect(info.st_gid == getgid())
            let entries = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(entries == ["api.sock"])
            let reply = try await onThread { try RawHTTPClient(path: path).request("GET", "/ping") }
            #expect(reply.text == "pong")
            await server.shutdown()
            try await tasks.waitForAll()
        }
        #expect(access(path, F_OK) != 0)
    }

    @Test func staleSocketIsReplacedButLiveOneAndRegularFileAreNot() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/api.sock"
        // A stale socket: bound, then its listener closed.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try bindUnix(stale, path)
        close(stale)
        try await withTestServerAt(path) { _ in
            let reply = try await onThread { try RawHTTPClient(path: path).request("GET", "/ping") }
            #expect(reply.status == 200)
            // A second server on the same live path must refuse, not steal it.
            let second = HTTPServer(configuration: .init(listener: .unixSocket(path: path)),
                                    router: helloRouter(), logger: quietLogger)
            await #expect(throws: HTTPServerError.self) { try await second.run() }
            #expect(access(path, F_OK) == 0, "the first server's socket must survive")
        }
        let file = directory + "/not-a-socket"
        _ = FileManager.default.createFile(atPath: file, contents: Data("keep me".utf8))
        let third = HTTPServer(configuration: .init(listener: .unixSocket(path: file)),
                               router: helloRouter(), logger: quietLogger)
        await #expect(throws: HTTPServerError.self) { try await third.run() }
        #expect(FileManager.default.contents(atPath: file) == Data("keep me".utf8))
    }

    @Test func unknownGroupIsAnError() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = HTTPServer(
            configuration: .init(listener: .unixSocket(path: directory + "/s.sock", group: "no-such-group-seal")),
            router: helloRouter(), logger: quietLogger)
        do {
            try await server.run()
            Issue.record("run() succeeded with an unknown group")
        } catch let error as HTTPServerError {
            #expect(error.kind == .unknownGroup)
        }
    }

    /// The socket-activation path: the server adopts a listening socket it did not create.
    @Test func inheritedListeningSocketIsServedAndLeftInPlace() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/activated.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try bindUnix(fd, path)
        #expect(listen(fd, 16) == 0)
        let server = HTTPServer(configuration: .init(listener: .inheritedSocket(fileDescriptor: fd)),
                                router: helloRouter(), logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            let reply = try await onThread { try RawHTTPClient(path: path).request("GET", "/ping") }
            #expect(reply.text == "pong")
            await server.shutdown()
            try await tasks.waitForAll()
        }
        #expect(access(path, F_OK) == 0, "a socket file systemd created is systemd's to remove")
    }

    private func withTestServerAt(_ path: String, _ body: (HTTPServer) async throws -> Void) async throws {
        let server = HTTPServer(configuration: .init(listener: .unixSocket(path: path)),
                                router: helloRouter(), logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            try await waitForConnectable(path)
            try await body(server)
            await server.shutdown()
            try await tasks.waitForAll()
        }
    }

    private func waitForConnectable(_ path: String) async throws {
        for _ in 0..<500 {
            if (try? RawHTTPClient(path: path)) != nil { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw RawHTTPClient.Failure(description: "nothing listens on \(path)")
    }
}

func bindUnix(_ fd: Int32, _ path: String) throws {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard result == 0 else { throw RawHTTPClient.Failure(description: "bind \(path): \(errno)") }
}
