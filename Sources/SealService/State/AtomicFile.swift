import Foundation

/// Crash-safe file replacement: write a temporary file in the same directory,
/// fsync it, rename it over the target, fsync the directory.
///
/// A reader (or a daemon restarted after `kill -9`) sees either the old
/// content or the new, never a torn write.
enum AtomicFile {
    /// Writes all of `data` to `fd`, retrying short writes and EINTR; false on an error (errno says which).
    static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        let written = data.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                offset += n
            }
            return offset
        }
        return written == data.count
    }

    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw StateError.io(path: temporary.path, operation: "create", errno: errno) }
        var ok = false
        defer {
            if !ok { unlink(temporary.path) }
        }
        guard writeAll(data, to: fd), fsync(fd) == 0 else {
            let code = errno
            close(fd)
            throw StateError.io(path: temporary.path, operation: "write", errno: code)
        }
        close(fd)
        guard rename(temporary.path, url.path) == 0 else {
            throw StateError.io(path: url.path, operation: "rename", errno: errno)
        }
        ok = true
        syncDirectory(of: url)
    }

    /// fsyncs the directory holding `url`, so that a name created or renamed there survives a crash.
    static func syncDirectory(of url: URL) {
        let fd = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// Problems with the state directory.
enum StateError: Error, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)

    var description: String {
        switch self {
        case .io(let path, let operation, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code))); check that the state directory exists and is writable by the daemon's user"
        }
    }
}
