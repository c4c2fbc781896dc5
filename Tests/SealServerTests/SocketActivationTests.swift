import Foundation
import SealTestSupport
import SealServer
import SealSystemd
import Testing
#if canImport(Glibc)
import Glibc
#endif

private let childMarker = "SEAL_TEST_ACTIVATION_CHILD"
private let isActivationChild = ProcessInfo.processInfo.environment[childMarker] != nil

/// Real socket activation: `systemd-socket-activate` owns the listening socket and
/// starts this very test binary, filtered to ``activatedChild()``, on the first
/// connection, as systemd does with seald.socket and seald.service. The child
/// finds the socket with `SocketActivation`, serves it with `HTTPServer`, reports
/// readiness with `SystemdNotifier`, answers one request and exits.
@Suite("Socket activation",
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
struct SocketActivationTests {
    /// Runs only in the child process; a no-op (disabled) in a normal test run.
    @Test(.enabled(if: isActivationChild))
    func activatedChild() async throws {
        let descriptors = try SocketActivation.listenFileDescriptors()
        #expect(descriptors == [3])
        #expect(getenv("LISTEN_FDS") == nil, "the variables are cleared for our own children")
        let fd = try #require(descriptors.first)
        let served = Gate()
        var router = Router()
        router.get("/activated") { _, context in
            served.open()
            return try .json(["pid": Int(getpid()), "peer_pid": Int(context.peer.pid)])
        }
        let server = HTTPServer(configuration: .init(listener: .inheritedSocket(fileDescriptor: fd)),
                                router: router, logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            SystemdNotifier().ready(status: "serving the test socket")
            try await served.wait(timeout: .seconds(30))
            await server.shutdown(gracefully: true)
            try await group.waitForAll()
        }
    }

    @Test(.enabled(if: !isActivationChild))
    func daemonStartsOnFirstConnection() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socketPath = directory + "/activated.sock"
        let notifyPath = directory + "/notify"
        let notify = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(notify) }
        try bindUnix(notify, notifyPath)
        var limit = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(notify, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = try Subprocess("/usr/bin/systemd-socket-activate", [
            "--listen=\(socketPath)", "-E", "\(childMarker)=1", "-E", "NOTIFY_SOCKET=\(notifyPath)",
            testBinary, "--testing-library", "swift-testing", "--filter", "activatedChild",
        ])
        var reaped = false
        defer {
            if !reaped {
                process.kill()
                _ = process.wait()
            }
        }
        try await waitForSocket(socketPath)

        // The first connection makes systemd-socket-activate start the child, which accepts it.
        let reply = try await onThread { try RawHTTPClient(path: socketPath, timeout: 60).request("GET", "/activated") }
        let (status, log) = try await onThread { () -> (Int32, String) in
            let log = process.readOutput()
            return (process.wait(), log)
        }
        reaped = true
        #expect(status == 0, "the activated child failed:\n\(log)")
        #expect(reply.status == 200)
        let body = try JSONDecoder().decode([String: Int].self, from: reply.body)
        #expect(body["pid"] == Int(process.pid), "systemd-socket-activate execs the service in place")
        #expect(body["peer_pid"] == Int(getpid()))

        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = recv(notify, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        #expect(count > 0 && String(decoding: buffer[0..<max(count, 0)], as: UTF8.self)
            == "READY=1\nSTATUS=serving the test socket")
    }
}
