import Foundation
import SealAPI

#if canImport(Glibc)
import Glibc
#endif

/// The trust seald places in its state directory, checked at start.
///
/// Datasets, evaluation reports, scale sets and job records are served to clients and
/// read back on restart, so whoever can write the directory can feed seald records, and
/// whoever can read it sees every client's data. An existing state directory must
/// therefore be owned by seald's user and give nothing to others and no write access to
/// the group (0700 or 0750; systemd's `StateDirectory=` with `StateDirectoryMode=0750`
/// makes exactly that). seald refuses to start otherwise, with the command that fixes
/// it. Directories seald creates itself it creates with mode 0750, and its own
/// `artifacts/` and `jobs/` subdirectories it sets back to 0750 when it owns them.
///
/// Files in it are read with `O_NOFOLLOW` (an artifact symlinked to `/etc/shadow` is
/// refused, not served), and their names are built only from IDs matching ``RecordID``.
enum StateDirectory {
    /// The subdirectories seald keeps records in.
    static let subdirectories = ["artifacts", "jobs"]

    /// Largest state file read back; datasets of long prompts are the biggest.
    static let maximumFileBytes = 512 << 20

    /// Creates or checks `root` and its subdirectories.
    static func prepare(_ root: URL) throws(ServiceError) {
        let owner = geteuid()
        if try !makeDirectory(root.path, intermediates: true) {
            var status = stat()
            guard stat(root.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw .internal("state directory \(root.path) is not a directory; remove it or set state_directory in seald.yaml")
            }
            guard status.st_uid == owner else {
                throw .internal("state directory \(root.path) is owned by \(userName(status.st_uid)), but seald runs as \(userName(owner)); its owner could plant records that seald serves. `chown \(userName(owner, bare: true)) \(root.path)` (systemd's StateDirectory= does this)")
            }
            guard status.st_mode & 0o027 == 0 else {
                let mode = String(status.st_mode & 0o7777, radix: 8)
                throw .internal("state directory \(root.path) has mode \(mode), which lets other users read or change datasets, reports and job records; `chmod 0750 \(root.path)` (0700 and 0750 are accepted)")
            }
        }
        for name in subdirectories {
            let path = root.appendingPathComponent(name).path
            guard try !makeDirectory(path, intermediates: false) else { continue }
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == owner else {
                throw .internal("\(path) is not a directory owned by seald's user (\(userName(owner))); seald does not follow links in its state directory. Move it aside and restart seald")
            }
            if status.st_mode & 0o027 != 0 { chmod(path, 0o750) }
        }
    }

    /// Creates `path` with mode 0750; `false` when it already existed.
    private static func makeDirectory(_ path: String, intermediates: Bool) throws(ServiceError) -> Bool {
        if intermediates {
            let parent = (path as NSString).deletingLastPathComponent
            if !FileManager.default.fileExists(atPath: parent) {
                do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                    throw .internal("cannot create \(parent) for the state directory: \(error.localizedDescription)")
                }
            }
        }
        if mkdir(path, 0o750) == 0 {
            chmod(path, 0o750) // whatever the umask
            return true
        }
        guard errno == EEXIST else {
            throw .internal("cannot create state directory \(path): \(String(cString: strerror(errno))); check state_directory in seald.yaml")
        }
        return false
    }

    /// Reads a state file without following a symbolic link, refusing non-regular files.
    static func read(_ url: URL) throws -> Data {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw ServiceError.conflict("\(url.lastPathComponent) in the state directory is a symbolic link; seald does not follow links there. Remove it")
            }
            throw StateError.io(path: url.path, operation: "open", errno: code)
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw StateError.io(path: url.path, operation: "stat", errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw ServiceError.conflict("\(url.lastPathComponent) in the state directory is not a regular file; remove it")
        }
        guard status.st_size <= maximumFileBytes else {
            throw ServiceError.conflict("\(url.lastPathComponent) in the state directory is \(status.st_size) bytes, more than the \(maximumFileBytes >> 20) MiB seald reads back")
        }
        var data = Data(count: Int(status.st_size))
        var offset = 0
        while offset < data.count {
            let count = data.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.read(fd, base + offset, raw.count - offset)
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw StateError.io(path: url.path, operation: "read", errno: errno) }
            if count == 0 { break }
            offset += count
        }
        return data.prefix(offset)
    }

    private static func userName(_ uid: uid_t, bare: Bool = false) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return bare ? "\(uid)" : "uid \(uid)"
        }
        return bare ? String(cString: name) : "uid \(uid) (\(String(cString: name)))"
    }
}

/// The shape of every record ID seald makes: a kind prefix, a dash, ten of `[0-9a-z]`.
///
/// IDs name files (`artifacts/<id>.json`), so an ID read from a request or from a
/// file's content is used for a path only when it matches; `../../etc/passwd` cannot.
enum RecordID {
    /// Every artifact kind's prefix and the jobs' one: derived, so a new kind cannot be forgotten.
    static let prefixes = ArtifactKind.allCases.map(StateStore.prefix(of:)) + [StateStore.jobPrefix]
    static let length = 10

    static func isValid(_ id: String) -> Bool {
        guard let dash = id.firstIndex(of: "-"), prefixes.contains(String(id[..<dash])) else { return false }
        let rest = id.utf8[id.utf8.index(after: dash)...]
        return rest.count == length && rest.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
    }
}
