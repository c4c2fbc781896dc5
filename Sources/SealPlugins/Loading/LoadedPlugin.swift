import Foundation
import SealPluginABI

#if canImport(Glibc)
import Glibc
#endif

/// A plugin that passed every load-time check: its description and its function table.
///
/// `@unchecked Sendable` because it holds C function pointers, which Swift cannot
/// prove thread-safe. It is sound here: every stored property is immutable, the
/// pointers address code and static data of a library that is never unloaded, and
/// the ABI requires plugin functions to be callable from any thread.
final class LoadedPlugin: @unchecked Sendable {
    let info: PluginInfo
    let functions: KindFunctions
    /// The file as it was when loaded; a rescan reuses this plugin while it is unchanged.
    let identity: FileIdentity

    init(info: PluginInfo, functions: KindFunctions, identity: FileIdentity) {
        self.info = info
        self.functions = functions
        self.identity = identity
    }

    var name: String { info.name }
}

/// Enough of a file's metadata to notice that it was replaced or rewritten.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: UInt64
    var modified: Double

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = UInt64(status.st_size)
        modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    }
}
