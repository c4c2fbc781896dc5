#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides whether a plugin file may run inside seald, the way sshd's `StrictModes`
/// decides whether to believe `authorized_keys`.
///
/// A plugin runs with all of seald's rights (root, in some setups), so whoever can
/// write the file, or rename anything in any directory above it, can run code as
/// seald. The file and every directory from `/` down to it (after resolving symbolic
/// links) must therefore be owned by root or by seald's own user and not be writable
/// by group or others. One exception, for directories only: a root-owned directory
/// with the sticky bit (`/tmp`, mode 1777) is accepted, because the sticky bit keeps
/// other users from removing or renaming entries they do not own, so they cannot
/// substitute anything below it.
///
/// The file is opened (with `O_NOFOLLOW`, after the directories were checked) and the
/// open descriptor's own metadata is checked, so the bytes later copied are the ones
/// whose owner and mode passed.
struct PluginTrust {
    /// Owners whose files are trusted: root and the daemon's effective user.
    var trustedOwners: Set<uid_t> = [0, geteuid()]

    /// An open, checked plugin file. The caller closes `descriptor`.
    struct OpenFile {
        var descriptor: Int32
        var status: stat
    }

    /// Checks `path`, then opens it for reading; the error says what is wrong and what to do.
    func open(_ path: String) throws(PluginLoadError) -> OpenFile {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(path: path, message: message) }
        guard let resolvedPointer = realpath(path, nil) else {
            throw fail("cannot be read: \(Self.errorText(errno))")
        }
        let resolved = String(cString: resolvedPointer)
        free(resolvedPointer)
        for directory in Self.ancestors(of: resolved) {
            if let problem = directoryProblem(directory) { throw fail(problem) }
        }
        let descriptor = Glibc.open(resolved, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw fail("cannot be opened: \(Self.errorText(errno))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw fail("cannot be read: \(Self.errorText(code))")
        }
        let via = resolved == path ? "" : " (\(resolved))"
        var problem: String?
        if status.st_mode & S_IFMT != S_IFREG {
            problem = "is not a regular file\(via)"
        } else if !trustedOwners.contains(status.st_uid) {
            problem = "is owned by \(Self.userName(status.st_uid))\(via), but seald runs plugins only when root or its own user (\(Self.userName(geteuid()))) owns them, since a plugin runs with seald's rights; `chown root` the file or remove it"
        } else if status.st_mode & 0o002 != 0 {
            problem = "is writable by every user\(via), so anyone could run code inside seald; refusing it (chmod go-w)"
        } else if status.st_mode & 0o020 != 0 {
            problem = "is writable by its group (\(Self.groupName(status.st_gid)))\(via), so the group's members could run code inside seald; refusing it (chmod g-w)"
        }
        if let problem {
            close(descriptor)
            throw fail(problem)
        }
        return OpenFile(descriptor: descriptor, status: status)
    }

    /// What makes `directory` unsafe to hold a plugin, or `nil` when it is safe.
    func directoryProblem(_ directory: String) -> String? {
        var status = stat()
        guard lstat(directory, &status) == 0 else {
            return "lies in \(directory), which cannot be examined (\(Self.errorText(errno)))"
        }
        let mode = String(status.st_mode & 0o7777, radix: 8)
        if !trustedOwners.contains(status.st_uid) {
            return "lies in \(directory), which is owned by \(Self.userName(status.st_uid)); the owner of a directory can replace the files in it, so a plugin and every directory above it must be owned by root or seald's user (\(Self.userName(geteuid()))); `chown root \(directory)` or move the plugin"
        }
        let writableByOthers = status.st_mode & 0o022 != 0
        let stickyRootOwned = status.st_mode & S_ISVTX != 0 && status.st_uid == 0
        if writableByOthers && !stickyRootOwned {
            return "lies in \(directory) (mode \(mode)), which users other than its owner may write, so they could replace the plugin; `chmod go-w \(directory)` or move the plugin"
        }
        return nil
    }

    /// `/`, `/a`, `/a/b` for `/a/b/file`: every directory above a resolved path, outermost first.
    static func ancestors(of resolved: String) -> [String] {
        let parts = resolved.split(separator: "/").dropLast()
        var result = ["/"]
        var current = ""
        for part in parts {
            current += "/" + part
            result.append(current)
        }
        return result
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// `uid 65534 (nobody)`: the number, which is what the kernel checks, and the name when known.
    static func userName(_ uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return "uid \(uid)"
        }
        return "uid \(uid) (\(String(cString: name)))"
    }

    static func groupName(_ gid: gid_t) -> String {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name else {
            return "gid \(gid)"
        }
        return "gid \(gid), \(String(cString: name))"
    }
}
