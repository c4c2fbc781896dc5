import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking `AF_UNIX` stream socket, used from one I/O thread, that any other thread may
/// ``cancel()``: `shutdown(2)` wakes a `recv` blocked on it at once, which is how a cancelled
/// task (Ctrl-C in sealctl) frees the daemon's generation instead of waiting for the next token.
///
/// The descriptor is only closed by the I/O thread (``close()``), never by `cancel()`, so a
/// cancellation can never hit a descriptor number the process has since reused.
final class UnixSocketConnection: @unchecked Sendable {
    let path: String
    /// Applied as `SO_RCVTIMEO`/`SO_SNDTIMEO`: the longest wait for the next byte.
    let timeout: Duration?

    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var cancelled = false

    init(path: String, timeout: Duration?) {
        self.path = path
        self.timeout = timeout
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Wakes the I/O thread and makes every later operation fail with `CancellationError`.
    func cancel() {
        lock.withLock {
            cancelled = true
            if descriptor >= 0 { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    func close() {
        lock.withLock {
            if descriptor >= 0 { _ = systemClose(descriptor) }
            descriptor = -1
        }
    }

    func connect() throws {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ClientError.connectionFailed(socketPath: path, reason: systemErrorMessage(errno)) }
        let registered = lock.withLock { () -> Bool in
            guard !cancelled else { return false }
            descriptor = fd
            return true
        }
        guard registered else {
            _ = systemClose(fd)
            throw CancellationError()
        }
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        if let timeout { try setTimeout(fd, timeout) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity, !pathBytes.contains(0) else {
            throw ClientError.connectionFailed(socketPath: path, reason: "a socket path must be 1 to \(capacity - 1) bytes long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    systemConnect(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result != 0 && errno == EINTR
        guard result == 0 else { throw connectError(errno) }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let fd = try currentDescriptor()
            let written = bytes.withUnsafeBytes { raw in
                systemSend(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw ioError(code, doing: "sending the request")
            }
            offset += written
        }
    }

    /// Reads what is available into `buffer`; returns 0 at end of stream.
    func read(into buffer: inout [UInt8]) throws -> Int {
        while true {
            let fd = try currentDescriptor()
            let count = buffer.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress, raw.count, 0) }
            if count >= 0 {
                if count == 0, isCancelled { throw CancellationError() }
                return count
            }
            let code = errno
            if code == EINTR { continue }
            throw ioError(code, doing: "reading the response")
        }
    }

    // MARK: - Errors

    private func currentDescriptor() throws -> Int32 {
        let (fd, isCancelled) = lock.withLock { (descriptor, cancelled) }
        if isCancelled { throw CancellationError() }
        guard fd >= 0 else { throw ClientError.connectionFailed(socketPath: path, reason: "the connection is closed") }
        return fd
    }

    private func ioError(_ code: Int32, doing what: String) -> any Error {
        if isCancelled { return CancellationError() }
        if code == EAGAIN || code == EWOULDBLOCK { return ClientError.timeout }
        if code == ECONNRESET || code == EPIPE {
            return ClientError.connectionFailed(socketPath: path, reason: "seald closed the connection while \(what)")
        }
        return ClientError.connectionFailed(socketPath: path, reason: "\(what): \(systemErrorMessage(code))")
    }

    private func connectError(_ code: Int32) -> any Error {
        switch code {
        case ENOENT, ENOTDIR, ECONNREFUSED:
            return ClientError.daemonNotRunning(socketPath: path, errno: code)
        case EACCES, EPERM:
            return ClientError.permissionDenied(socketPath: path, group: owningGroup(of: path))
        case EAGAIN:
            return ClientError.connectionFailed(socketPath: path, reason: "seald's connection queue is full; try again")
        default:
            return ClientError.connectionFailed(socketPath: path, reason: systemErrorMessage(code))
        }
    }

    private func setTimeout(_ fd: Int32, _ timeout: Duration) throws {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(max(0, seconds)), tv_usec: .init(max(0, attoseconds) / 1_000_000_000_000))
        if value.tv_sec == 0 && value.tv_usec == 0 { value.tv_usec = 1 }  // zero would mean "no timeout"
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            guard setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
                throw ClientError.connectionFailed(socketPath: path, reason: systemErrorMessage(errno))
            }
        }
    }
}

/// The group owning the socket, or its directory when the socket itself cannot be examined:
/// the group a user must join to be allowed in.
func owningGroup(of path: String) -> String? {
    var info = stat()
    var gid: gid_t
    if stat(path, &info) == 0 {
        gid = info.st_gid
    } else {
        let directory = (path as NSString).deletingLastPathComponent
        guard stat(directory.isEmpty ? "." : directory, &info) == 0 else { return nil }
        gid = info.st_gid
    }
    if gid == 0 { return nil }
    var group = group()
    var result: UnsafeMutablePointer<group>?
    var storage = [CChar](repeating: 0, count: 4096)
    guard getgrgid_r(gid, &group, &storage, storage.count, &result) == 0, result != nil, let name = group.gr_name else {
        return "\(gid)"
    }
    return String(cString: name)
}

// The libc calls whose names the methods above shadow.
private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(fd)
    #else
    Darwin.close(fd)
    #endif
}

private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Glibc)
    Glibc.connect(fd, address, length)
    #else
    Darwin.connect(fd, address, length)
    #endif
}

private func systemSend(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    send(fd, bytes, count, 0)
    #endif
}
