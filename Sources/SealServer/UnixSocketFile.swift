#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Creating the listening socket file safely.
///
/// `bind(2)` creates the file with `0777 & ~umask`, and a `chmod` afterwards leaves
/// a window in which anyone may connect. So the socket is bound inside a fresh
/// private (0700) directory next to the final path, given its mode and group
/// there, and then renamed into place: the file appears at its path with the right
/// permissions already, and the rename also replaces a stale socket atomically.
enum UnixSocketFile {
    /// A name inside a private directory next to `path`, short enough for `sun_path`.
    struct Staging {
        let directory: String
        let socketPath: String
    }

    /// Refuses to replace a live socket (another daemon) or something that is not a
    /// socket; creates the parent directory (0755) when missing.
    static func prepare(path: String) throws(HTTPServerError) {
        let parent = parentDirectory(of: path)
        var info = stat()
        if stat(parent, &info) != 0 {
            guard mkdir(parent, 0o755) == 0 || errno == EEXIST else {
                throw HTTPServerError(.socketSetup, "cannot create \(parent): \(errnoText())")
            }
        }
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw HTTPServerError(.socketSetup, "\(path) exists and is not a socket; not replacing it")
        }
        if isAcceptingConnections(path) {
            throw HTTPServerError(.socketInUse, "another process is already serving on \(path)")
        }
    }

    static func makeStaging(for path: String) throws(HTTPServerError) -> Staging? {
        let parent = parentDirectory(of: path)
        var template = Array("\(parent)/.seald-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else {
            throw HTTPServerError(.socketSetup, "cannot create a staging directory in \(parent): \(errnoText())")
        }
        let directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let socketPath = directory + "/s"
        guard socketPath.utf8.count < 108 else {
            rmdir(directory)
            return nil
        }
        return Staging(directory: directory, socketPath: socketPath)
    }

    /// Gives the bound socket file its mode and group, then moves it to `path`.
    static func finish(_ staging: Staging?, path: String, mode: mode_t, group: gid_t?) throws(HTTPServerError) {
        let bound = staging?.socketPath ?? path
        defer { if let staging { rmdir(staging.directory) } }
        if let group, chown(bound, uid_t.max, group) != 0 {
            throw HTTPServerError(.socketSetup, "cannot give \(path) to group \(group): \(errnoText())")
        }
        guard chmod(bound, mode) == 0 else {
            throw HTTPServerError(.socketSetup, "cannot set mode \(String(mode, radix: 8)) on \(path): \(errnoText())")
        }
        if let staging, rename(staging.socketPath, path) != 0 {
            unlink(staging.socketPath)
            throw HTTPServerError(.socketSetup, "cannot move the socket to \(path): \(errnoText())")
        }
    }

    /// The inode of the socket file, to remove it on shutdown only if it is still ours.
    static func identity(of path: String) -> (dev_t, ino_t)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (info.st_dev, info.st_ino)
    }

    static func remove(_ path: String, ifIdentity identity: (dev_t, ino_t)) {
        guard let current = self.identity(of: path), current == identity else { return }
        unlink(path)
    }

    /// Tries to connect: refused means stale (nobody listens), success means a live server.
    static func isAcceptingConnections(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
