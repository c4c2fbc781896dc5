import Foundation

/// The plugins available to this process, loaded from a list of directories.
///
/// Directories are scanned in order; every `*.so` in each is loaded (in file-name order).
/// A plugin from a later directory replaces one of the same name from an earlier
/// directory (with a note in the report), so `/etc/seal/plugins.d` can override the
/// packaged `/usr/lib/seal/plugins`. Two plugins of the same name in one directory are
/// an error: the first (by file name) is kept.
///
/// Thread-safe: lookups may run while another thread rescans; a lookup sees either the
/// old or the new set, never a mix. Wrappers obtained before a rescan stay valid
/// because libraries are never unloaded (see ``PluginLoader``).
public final class PluginRegistry: Sendable {
    /// The directories (or single `.so` files) scanned, in order.
    public let directories: [URL]

    private struct State: Sendable {
        var byName: [String: LoadedPlugin] = [:]
        var order: [String] = []
        var report = PluginScanReport()
        /// The files of the last scan, by path, to reuse unchanged ones on rescan.
        var byPath: [String: LoadedPlugin] = [:]
    }

    private let state = Locked(State())
    /// Serialises scans without blocking lookups during one.
    private let scanning = Locked(())
    private let loader: PluginLoader

    /// The system-wide defaults: packaged plugins, then the administrator's.
    public static let defaultDirectories = [
        URL(fileURLWithPath: "/usr/lib/seal/plugins"),
        URL(fileURLWithPath: "/etc/seal/plugins.d"),
    ]

    /// Creates the registry and scans `directories` once; see ``lastReport``.
    public init(directories: [URL]) {
        self.directories = directories
        self.loader = PluginLoader()
        rescan()
    }

    /// Scans the directories again: new files are loaded, removed ones dropped, changed
    /// ones reloaded, unchanged ones kept as they are. What `sealctl plugins reload`
    /// (SIGHUP to seald) runs.
    @discardableResult
    public func rescan() -> PluginScanReport {
        scanning.withLock { _ in
            let previous = state.withLock { $0.byPath }
            var scan = Scan(loader: loader, previousByPath: previous)
            for directory in directories { scan.visit(directory) }
            let report = PluginScanReport(loaded: scan.order.compactMap { scan.byName[$0]?.info },
                                          errors: scan.errors, notes: scan.notes)
            state.withLock { state in
                state.byName = scan.byName
                state.order = scan.order
                state.report = report
                state.byPath = scan.byPath
            }
            return report
        }
    }

    /// The report of the most recent scan.
    public var lastReport: PluginScanReport { state.withLock { $0.report } }

    /// The registered plugins, in scan order.
    public var plugins: [PluginInfo] {
        state.withLock { state in state.order.compactMap { state.byName[$0]?.info } }
    }

    /// The plugin called `name`, if loaded.
    public func plugin(named name: String) -> PluginInfo? {
        state.withLock { $0.byName[name]?.info }
    }

    func loaded(named name: String, kind: PluginKind) throws(PluginError) -> LoadedPlugin {
        let (found, available) = state.withLock { ($0.byName[name], $0.order) }
        guard let found else { throw PluginError.notFound(name: name, available: available) }
        guard found.info.kind == kind else {
            throw PluginError.wrongKind(plugin: name, expected: kind, actual: found.info.kind)
        }
        return found
    }

    /// The task plugin called `name`.
    public func task(named name: String) throws(PluginError) -> TaskPlugin {
        TaskPlugin(try loaded(named: name, kind: .task))
    }

    /// The context-extension plugin called `name`.
    public func contextExtension(named name: String) throws(PluginError) -> ContextExtensionPlugin {
        ContextExtensionPlugin(try loaded(named: name, kind: .contextExtension))
    }

    /// The scaling-strategy plugin called `name`.
    public func scalingStrategy(named name: String) throws(PluginError) -> ScalingStrategyPlugin {
        ScalingStrategyPlugin(try loaded(named: name, kind: .scalingStrategy))
    }
}

/// One pass over the directories, building the next state of the registry.
private struct Scan {
    let loader: PluginLoader
    let previousByPath: [String: LoadedPlugin]
    var byName: [String: LoadedPlugin] = [:]
    var order: [String] = []
    var byPath: [String: LoadedPlugin] = [:]
    var errors: [PluginLoadError] = []
    var notes: [String] = []

    init(loader: PluginLoader, previousByPath: [String: LoadedPlugin]) {
        self.loader = loader
        self.previousByPath = previousByPath
    }

    mutating func visit(_ location: URL) {
        let path = location.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            notes.append("plugin directory \(path) does not exist; skipped")
            return
        }
        guard isDirectory.boolValue else {
            // A single file named in the configuration.
            if path.hasSuffix(".so") { _ = add(path, sameDirectory: [:]) } else {
                errors.append(PluginLoadError(path: path, message: "is not a directory or a .so file"))
            }
            return
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            errors.append(PluginLoadError(path: path, message: "cannot list the plugin directory: \(error.localizedDescription)"))
            return
        }
        var sameDirectory: [String: String] = [:]
        for name in names where !name.hasPrefix(".") {
            let file = (path as NSString).appendingPathComponent(name)
            guard name.hasSuffix(".so") else {
                notes.append("\(file): not a .so file; ignored")
                continue
            }
            if let plugin = add(file, sameDirectory: sameDirectory) { sameDirectory[plugin.name] = file }
        }
    }

    /// Loads (or reuses) one file and registers it; returns it when registered.
    private mutating func add(_ path: String, sameDirectory: [String: String]) -> LoadedPlugin? {
        let plugin: LoadedPlugin
        do throws(PluginLoadError) {
            plugin = try loader.load(path: path, reusing: previousByPath[path])
        } catch {
            errors.append(error)
            return nil
        }
        if let first = sameDirectory[plugin.name] {
            errors.append(PluginLoadError(path: path, message: "duplicate plugin name '\(plugin.name)': \(first) in the same directory already provides it; this file is skipped"))
            return nil
        }
        byPath[path] = plugin
        if let earlier = byName[plugin.name] {
            notes.append("plugin '\(plugin.name)' from \(path) overrides the one from \(earlier.info.path)")
        } else {
            order.append(plugin.name)
        }
        byName[plugin.name] = plugin
        return plugin
    }
}
