import CSealTestSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process, its stdout and stderr in one pipe, that dies with the test process.
///
/// The tests start several processes concurrently from parallel tests; this
/// helper (unlike Foundation's `Process`) never shares state between launches, closes
/// every inherited descriptor in the child (no test's socket leaks into another's
/// child), and reaps the child itself with `waitpid`. Its blocking calls belong on
/// ``onThread(_:)``. A child not reaped when the test process exits is ended then
/// (see ``LiveChildren``); if the test process is killed, the kernel kills the child
/// (`PR_SET_PDEATHSIG`, see ``Spawner``).
public final class Subprocess: @unchecked Sendable {
    /// A launch failure.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    private let output: Int32

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        var fds: [Int32] = [0, 0]
        guard Self.pipe2(&fds, O_CLOEXEC) == 0 else { throw Failure(description: "pipe2: \(errno)") }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        // Forked on the spawner thread, which lives as long as the test process: the child
        // gets SIGKILL when that ends, even if nothing in the process can run any more.
        let writeEnd = fds[1]
        let (status, child) = Spawner.shared.perform { () -> (Int32, pid_t) in
            var child: pid_t = 0
            let status = argv.withUnsafeBufferPointer { argvBuffer in
                env.withUnsafeBufferPointer { envBuffer in
                    seal_test_spawn(executable, argvBuffer.baseAddress, envBuffer.baseAddress, writeEnd, SIGKILL, &child)
                }
            }
            return (status, child)
        }
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            throw Failure(description: "spawn \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        output = fds[0]
        LiveChildren.add(child)
    }

    deinit { close(output) }

    // glibc declares pipe2 only with _GNU_SOURCE, which Swift's Glibc module lacks: look it up.
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let pipe2Function: Pipe2? = dlsym(nil, "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }

    private static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let pipe2Function { return pipe2Function(fds, flags) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// Everything the child writes, until it and its descendants close the pipe.
    public func readOutput() -> String {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(output, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Calls `handler` with each chunk of output until the pipe closes (blocking;
    /// run it on its own thread for a long-lived child such as a daemon).
    public func forEachOutputChunk(_ handler: (Data) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(output, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            handler(Data(buffer[0..<count]))
        }
    }

    /// Whether the child has exited (reaping it if so); `exitStatus` then holds its status.
    public func poll() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if exitStatus != nil { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return false }
        LiveChildren.remove(pid)
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return true
    }

    private let lock = NSLock()
    public private(set) var exitStatus: Int32?

    /// Waits for the exit; the exit status, or 128 + the signal that killed it.
    public func wait() -> Int32 {
        while !poll() { usleep(5_000) }
        return exitStatus ?? -1
    }

    public func kill(_ signal: Int32 = SIGKILL) {
        Glibc.kill(pid, signal)
    }

    /// Runs to completion: exit status and output.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = try Subprocess(executable, arguments, environment: environment)
        let output = process.readOutput()
        return (process.wait(), output)
    }
}
