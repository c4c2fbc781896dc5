#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory.
///
/// Model files are hundreds of megabytes to tens of gigabytes; mapping them lets
/// the kernel page weights in on demand and share them between processes, and
/// lets dequantization read straight from the page cache without a copy. The
/// mapping is private and read-only, so nothing this process does can change
/// the file. It is released when the object is deallocated; every pointer
/// handed out by ``bytes`` is valid exactly as long as the object lives.
public final class MappedFile: Sendable {
    /// The path the file was opened with, used in error messages.
    public let path: String
    /// The size of the file in bytes.
    public let count: Int
    // The mapping never changes after init and is only read, so sharing it across
    // threads is safe; `nil` for an empty file, which cannot be mapped.
    nonisolated(unsafe) private let base: UnsafeRawPointer?

    /// Maps the file at `path`.
    ///
    /// An empty file is accepted (its ``bytes`` are empty) so that callers can
    /// report "the file is empty" in their own terms.
    public init(path: String) throws(ModelFormatError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ModelFormatError(file: path, kind: .cannotOpen(reason: Self.lastErrorText()))
        }
        defer { _ = close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelFormatError(file: path, kind: .cannotOpen(reason: Self.lastErrorText()))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let what = (info.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "it is not a regular file"
            throw ModelFormatError(file: path, kind: .cannotOpen(reason: what))
        }
        guard let size = Int(exactly: info.st_size), size >= 0 else {
            throw ModelFormatError(file: path, kind: .cannotOpen(reason: "the file size is not representable"))
        }
        self.count = size
        if size == 0 {
            self.base = nil
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw ModelFormatError(file: path, kind: .cannotOpen(reason: "mmap failed: \(Self.lastErrorText())"))
        }
        self.base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base {
            _ = munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }

    /// The file's bytes; valid while this object is alive.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    private static func lastErrorText() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
