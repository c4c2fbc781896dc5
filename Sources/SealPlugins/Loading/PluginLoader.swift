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
/// Libraries are opened with `RTLD_NOW | RTLD_LOCAL` (unresolved symbols fail here, not
/// in the middle of a request; plugins cannot see each other's symbols) and are never
/// closed: the wrappers hand out function pointers that other threads may be calling,
/// a Swift plugin cannot be unloaded safely at all (its runtime metadata stays
/// registered), and a C library may have left atexit or TLS destructors behind. A
/// replaced plugin therefore stays mapped; its old code simply is no longer used.
struct PluginLoader {
    /// Paths this process has passed to `dlopen`, by any registry.
    ///
    /// The dynamic loader returns the object it already has for a known path, even when
    /// the file was replaced since; such a path is opened through a fresh alias instead.
    private static let openedPaths = Locked(Set<String>())

    /// Where aliases of replaced files are created for reloading.
    var aliasDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("seal-plugins-\(ProcessInfo.processInfo.processIdentifier)")

    /// Loads the file at `path`. Callers reuse the result while the file is unchanged
    /// (same ``FileIdentity``); a path opened before is reopened through a fresh alias
    /// (a symbolic link with a unique name) so that a replaced file yields its new code.
    func load(path: String) throws(PluginLoadError) -> LoadedPlugin {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(path: path, message: message) }
        let identity = try checkFile(path)
        let openedBefore = Self.openedPaths.withLock { !$0.insert(path).inserted }
        let handle = try (openedBefore ? openThroughAlias(path) : Self.open(path, as: path)).get()
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

    /// Refuses what must not reach `dlopen`: non-files, files anyone may rewrite, non-ELF data.
    func checkFile(_ path: String) throws(PluginLoadError) -> FileIdentity {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(path: path, message: message) }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw fail("cannot be read: \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw fail("is not a regular file")
        }
        if let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue, permissions & 0o002 != 0 {
            throw fail("is writable by every user, so anyone could run code inside seald; refusing it (chmod o-w)")
        }
        #if os(Linux)
        let magic: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
        let head = FileHandle(forReadingAtPath: path).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 4)
        }
        guard let head, Array(head) == magic else {
            throw fail("is not an ELF shared object (wrong magic bytes); only compiled plugins belong in a plugin directory")
        }
        #endif
        guard let identity = FileIdentity(path: path) else { throw fail("cannot be read") }
        return identity
    }

    private static func open(_ path: String, as openPath: String) -> Result<UnsafeMutableRawPointer, PluginLoadError> {
        guard let handle = dlopen(openPath, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().flatMap { String(validatingCString: $0) } ?? "unknown dynamic loader error"
            return .failure(PluginLoadError(path: path, message: "cannot be loaded: \(reason)"))
        }
        return .success(handle)
    }

    /// Serialises alias handling, so one load cannot remove the alias directory under another.
    private static let aliasLock = Locked(())

    /// Opens `path` through a symbolic link with a unique name, removed (with its directory,
    /// when empty) right after: the loader keeps the mapping, not the name.
    private func openThroughAlias(_ path: String) -> Result<UnsafeMutableRawPointer, PluginLoadError> {
        Self.aliasLock.withLock { _ in
            let manager = FileManager.default
            let alias = aliasDirectory.appendingPathComponent("\(UUID().uuidString)-\(URL(fileURLWithPath: path).lastPathComponent)")
            do {
                try manager.createDirectory(at: aliasDirectory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
                try manager.createSymbolicLink(atPath: alias.path, withDestinationPath: path)
            } catch {
                return .failure(PluginLoadError(path: path, message: "changed since it was loaded, but cannot be reloaded (\(error.localizedDescription)); restart seald to use the new version"))
            }
            defer {
                try? manager.removeItem(at: alias)
                if (try? manager.contentsOfDirectory(atPath: aliasDirectory.path))?.isEmpty == true {
                    try? manager.removeItem(at: aliasDirectory)
                }
            }
            return Self.open(path, as: alias.path)
        }
    }
}
