import CSealPlatform
import Foundation
import SealPluginABI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads one shared object and checks its descriptor.
///
/// The file must pass ``PluginTrust`` (owner and mode of the file and every directory
/// above it) before any of its code runs. seald then loads a private copy: the checked
/// bytes are copied from the open descriptor into a sealed memory file (`memfd_create`)
/// and `dlopen` opens `/proc/self/fd/N`. Nothing is ever opened by a path that someone
/// else could redirect (the old predictable alias directory is gone), a rescan of a
/// changed file yields its new code (each copy is a new inode, which the dynamic loader
/// cannot mistake for one it already has), and `cp` over a loaded plugin cannot
/// corrupt the code already mapped: that lives in the copy.
///
/// Libraries are opened with `RTLD_NOW | RTLD_LOCAL` (unresolved symbols fail here, not
/// in the middle of a request; plugins cannot see each other's symbols) and are never
/// closed: the wrappers hand out function pointers that other threads may be calling,
/// a Swift plugin cannot be unloaded safely at all (its runtime metadata stays
/// registered), and a C library may have left atexit or TLS destructors behind. A
/// replaced plugin therefore stays mapped; its old code simply is no longer used. Its
/// memory file stays open for the same reason, which also keeps every
/// `/proc/self/fd/N` name unique (the loader recognises libraries by name first).
struct PluginLoader {
    var trust = PluginTrust()

    /// Largest plugin file copied; a real plugin is a few hundred kilobytes.
    static let maximumBytes = 256 << 20

    /// Loads the file at `path`, or returns `previous` when the file is the one it was
    /// loaded from (same ``FileIdentity``).
    ///
    /// The trust check runs either way, so that a loaded file whose owner or mode (or a
    /// directory above it) became unsafe since is dropped by the next rescan; the
    /// identity compared is that of the descriptor the check opened, so the file
    /// examined, checked and (when changed) copied is one and the same.
    func load(path: String, reusing previous: LoadedPlugin? = nil) throws(PluginLoadError) -> LoadedPlugin {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(path: path, message: message) }
        let file = try trust.open(path)
        defer { close(file.descriptor) }
        let identity = FileIdentity(file.status)
        if let previous, previous.identity == identity { return previous }
        let copy = try Self.privateCopy(of: file, path: path)
        guard let handle = dlopen("/proc/self/fd/\(copy)", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().flatMap { String(validatingCString: $0) } ?? "unknown dynamic loader error"
            close(copy)
            throw fail("cannot be loaded: \(reason)")
        }
        guard let symbol = dlsym(handle, SEAL_PLUGIN_ENTRY_SYMBOL) else {
            throw fail("exports no '\(SEAL_PLUGIN_ENTRY_SYMBOL)' symbol, so it is not a seal plugin; define `SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void)` (see docs/plugin-guide.md)")
        }
        let entry = unsafeBitCast(symbol, to: seal_plugin_entry_fn.self)
        guard let descriptor = entry() else {
            throw fail("\(SEAL_PLUGIN_ENTRY_SYMBOL)() returned NULL: the plugin refused to load")
        }
        let (info, functions) = try DescriptorReader(path: path).read(UnsafeRawPointer(descriptor))
        return LoadedPlugin(info: info, functions: functions, identity: identity)
    }

    /// Copies the checked file into a sealed memory file; returns its descriptor.
    private static func privateCopy(of file: PluginTrust.OpenFile, path: String) throws(PluginLoadError) -> Int32 {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(path: path, message: message) }
        let size = Int(file.status.st_size)
        guard size <= maximumBytes else {
            throw fail("is \(size) bytes, more than the \(maximumBytes >> 20) MiB a plugin may be; is it really a plugin?")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let count = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(file.descriptor, base + offset, size - offset, off_t(offset))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw fail(count == 0 ? "changed while being read (it got shorter); try again once it is fully written"
                                      : "cannot be read: \(PluginTrust.errorText(errno))")
            }
            offset += count
        }
        #if os(Linux)
        guard bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else {
            throw fail("is not an ELF shared object (wrong magic bytes); only compiled plugins belong in a plugin directory")
        }
        #endif
        let name = "seal-plugin:" + URL(fileURLWithPath: path).lastPathComponent
        let copy = seal_memfd_create(name)
        guard copy >= 0 else {
            throw fail("cannot be copied into memory for loading: memfd_create: \(PluginTrust.errorText(errno))")
        }
        var written = 0
        while written < size {
            let count = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return write(copy, base + written, size - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(copy)
                throw fail("cannot be copied into memory for loading: \(PluginTrust.errorText(code))")
            }
            written += count
        }
        guard seal_memfd_seal(copy) == 0 else {
            let code = errno
            close(copy)
            throw fail("cannot be sealed in memory for loading: \(PluginTrust.errorText(code))")
        }
        return copy
    }
}
