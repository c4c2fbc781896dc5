import Foundation
import SealModel
import SealPlugins
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A plugin runs with seald's rights, so it loads only when the file and every directory
/// above it are owned by root or seald's user and writable by no one else (sshd's
/// StrictModes), and seald runs a private copy, not the file.
@Suite("Plugin trust", .serialized)
struct PluginTrustTests {
    static let nobody: uid_t = 65_534

    /// A fresh directory holding a copy of the linear plugin.
    private func directoryWithLinear(_ label: String) throws -> (directory: URL, plugin: URL) {
        let directory = try PluginFixtures.temporaryDirectory(label)
        let plugin = directory.appendingPathComponent("libseal-linear.so")
        try FileManager.default.copyItem(at: PluginFixtures.builtIn("libseal-linear.so"), to: plugin)
        #expect(chmod(directory.path, 0o755) == 0 && chmod(plugin.path, 0o644) == 0)
        return (directory, plugin)
    }

    private func onlyError(_ registry: PluginRegistry) -> String {
        #expect(registry.plugins.isEmpty, "loaded although refused: \(registry.plugins.map(\.name))")
        return registry.lastReport.errors.map(\.message).joined(separator: "\n")
    }

    @Test func aTrustedPluginLoads() throws {
        let (directory, _) = try directoryWithLinear("trusted")
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = PluginRegistry(directories: [directory])
        #expect(registry.plugins.map(\.name) == ["linear"], "\(registry.lastReport.errors)")
    }

    @Test func aGroupWritableDirectoryIsRefused() throws {
        let (directory, _) = try directoryWithLinear("group-writable")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(chmod(directory.path, 0o775) == 0)
        let message = onlyError(PluginRegistry(directories: [directory]))
        #expect(message.contains("lies in \(directory.path) (mode 775), which users other than its owner may write"), "\(message)")
        #expect(message.contains("chmod go-w \(directory.path)"))
    }

    @Test func aWorldWritableDirectoryAboveIsRefused() throws {
        let outer = try PluginFixtures.temporaryDirectory("outer")
        defer { try? FileManager.default.removeItem(at: outer) }
        let inner = outer.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: false)
        try FileManager.default.copyItem(at: PluginFixtures.builtIn("libseal-linear.so"),
                                         to: inner.appendingPathComponent("libseal-linear.so"))
        #expect(chmod(outer.path, 0o777) == 0 && chmod(inner.path, 0o755) == 0)
        let message = onlyError(PluginRegistry(directories: [inner]))
        #expect(message.contains("lies in \(outer.path) (mode 777)"), "\(message)")
    }

    @Test func aGroupWritableFileIsRefused() throws {
        let (directory, plugin) = try directoryWithLinear("group-writable-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(chmod(plugin.path, 0o664) == 0)
        let message = onlyError(PluginRegistry(directories: [directory]))
        #expect(message.contains("is writable by its group"), "\(message)")
        #expect(message.contains("chmod g-w"))
    }

    @Test func aFileOwnedBySomeoneElseIsRefused() throws {
        let (directory, plugin) = try directoryWithLinear("foreign-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(chown(plugin.path, Self.nobody, gid_t(Self.nobody)) == 0, "the tests must run as root to chown")
        let message = onlyError(PluginRegistry(directories: [directory]))
        #expect(message.contains("is owned by uid 65534"), "\(message)")
        #expect(message.contains("chown root"))
    }

    @Test func aDirectoryOwnedBySomeoneElseIsRefused() throws {
        let (directory, _) = try directoryWithLinear("foreign-directory")
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(chown(directory.path, Self.nobody, gid_t(Self.nobody)) == 0, "the tests must run as root to chown")
        let message = onlyError(PluginRegistry(directories: [directory]))
        #expect(message.contains("lies in \(directory.path), which is owned by uid 65534"), "\(message)")
    }

    @Test func aSymbolicLinkIsJudgedByWhereItLeads() throws {
        let (untrusted, _) = try directoryWithLinear("link-target")
        let directory = try PluginFixtures.temporaryDirectory("link")
        defer { for url in [untrusted, directory] { try? FileManager.default.removeItem(at: url) } }
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("libseal-linear.so"),
                                                   withDestinationURL: untrusted.appendingPathComponent("libseal-linear.so"))
        #expect(PluginRegistry(directories: [directory]).plugins.map(\.name) == ["linear"])
        #expect(chmod(untrusted.path, 0o777) == 0)
        let message = onlyError(PluginRegistry(directories: [directory]))
        #expect(message.contains("lies in \(untrusted.path) (mode 777)"), "\(message)")
    }

    @Test func aPluginThatBecameUnsafeIsDroppedOnRescan() throws {
        let (directory, plugin) = try directoryWithLinear("became-unsafe")
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = PluginRegistry(directories: [directory])
        #expect(registry.plugins.map(\.name) == ["linear"])
        try #require(chown(plugin.path, Self.nobody, gid_t(Self.nobody)) == 0, "the tests must run as root to chown")
        registry.rescan()
        #expect(registry.plugins.isEmpty)
        #expect(registry.lastReport.errors.first?.message.contains("is owned by uid 65534") == true)
    }

    /// `cp` writes into the loaded file in place (same inode, truncated then rewritten).
    /// Before private copies this changed the code under the running mapping and crashed.
    @Test func overwritingALoadedPluginInPlaceIsHarmless() throws {
        let directory = try PluginFixtures.temporaryDirectory("overwrite")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("planner.so")
        let staged = directory.appendingPathComponent("staged.bin")
        try PluginFixtures.compile(TestPlanPluginSource(version: "1.0", body: "plan->attention_factor = 1.5; return SEAL_OK;").text, to: file)
        try PluginFixtures.compile(TestPlanPluginSource(version: "2.0", body: "plan->attention_factor = 2.5; (void)plan->label; return SEAL_OK;").text, to: staged)

        let registry = PluginRegistry(directories: [directory])
        let before = try registry.contextExtension(named: "planner")
        let rope = RoPEParameters(theta: 10_000, rotaryDimensions: 8, headDimension: 8, trainedContextLength: 64)
        #expect(try before.plan(for: rope, sequenceLength: 64).plan.attentionFactor == 1.5)

        // What `cp staged.bin planner.so` does: open with O_TRUNC, write the new bytes.
        let replacement = try Data(contentsOf: staged)
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: replacement)
        try handle.close()
        try FileManager.default.removeItem(at: staged)

        // The running copy is untouched...
        #expect(try before.plan(for: rope, sequenceLength: 64).plan.attentionFactor == 1.5)
        // ...and a rescan loads the new code.
        let report = registry.rescan()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(registry.plugin(named: "planner")?.version == "2.0")
        #expect(try registry.contextExtension(named: "planner").plan(for: rope, sequenceLength: 64).plan.attentionFactor == 2.5)
    }

    /// The code runs from a sealed memory file, and no alias directory is made for reloads.
    @Test func theLoadedCodeIsAPrivateCopy() throws {
        let directory = try PluginFixtures.temporaryDirectory("private-copy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("copied-planner.so")
        try PluginFixtures.compile(TestPlanPluginSource(name: "copied", version: "1.0").text, to: file)
        let registry = PluginRegistry(directories: [directory])
        #expect(registry.plugin(named: "copied") != nil)
        // Changed on disk: a reload, which used to go through /tmp/seal-plugins-<pid>.
        try PluginFixtures.compile(TestPlanPluginSource(name: "copied", version: "2.0").text, to: file)
        #expect(registry.rescan().errors.isEmpty)
        #expect(registry.plugin(named: "copied")?.version == "2.0")

        // Read to the end: /proc files report size 0, which some readers take at its word.
        let mapsFile = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: mapsFile.readDataToEndOfFile(), as: UTF8.self)
        try mapsFile.close()
        #expect(maps.contains("libFoundation"), "the whole of /proc/self/maps was read")
        #expect(!maps.contains(file.path), "the plugin file itself is mapped")
        #expect(maps.contains("memfd:seal-plugin:copied-planner.so"))
        let alias = FileManager.default.temporaryDirectory.appendingPathComponent("seal-plugins-\(getpid())")
        #expect(!FileManager.default.fileExists(atPath: alias.path))
    }
}
