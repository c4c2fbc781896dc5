import Foundation
import SealPluginABI

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

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        device = (attributes[.deviceIdentifier] as? NSNumber)?.uint64Value ?? 0
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }
}
