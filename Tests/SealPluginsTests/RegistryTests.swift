import Foundation
import SealModel
import SealPlugins
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Directory order, overrides, and rescans that pick up new, changed and removed files.
@Suite("Plugin registry")
struct RegistryTests {
    static func planner(version: String, name: String = "planner") -> String {
        TestPlanPluginSource(name: name, version: version).text
    }

    @Test func laterDirectoriesOverrideEarlierOnesByName() throws {
        let packaged = try PluginFixtures.temporaryDirectory("packaged")
        let local = try PluginFixtures.temporaryDirectory("local")
        defer { for url in [packaged, local] { try? FileManager.default.removeItem(at: url) } }
        try FileManager.default.copyItem(at: PluginFixtures.builtIn("libseal-linear.so"),
                                         to: packaged.appendingPathComponent("libseal-linear.so"))
        try PluginFixtures.compile(Self.planner(version: "9.9", name: "linear"), to: local.appendingPathComponent("my-linear.so"))

        let overridden = PluginRegistry(directories: [packaged, local])
        #expect(overridden.plugin(named: "linear")?.version == "9.9")
        #expect(overridden.plugins.count == 1)
        #expect(overridden.lastReport.notes.contains { $0.contains("overrides") && $0.contains("my-linear.so") })
        #expect(PluginRegistry(directories: [local, packaged]).plugin(named: "linear")?.version == "1.0.0")
    }

    @Test func aSingleFileCanBeListedInsteadOfADirectory() {
        let registry = PluginRegistry(directories: [PluginFixtures.builtIn("libseal-passkey.so")])
        #expect(registry.plugins.map(\.name) == ["passkey"])
    }

    @Test func rescanPicksUpNewChangedAndRemovedPlugins() throws {
        let directory = try PluginFixtures.temporaryDirectory("rescan")
        let staging = try PluginFixtures.temporaryDirectory("staging")
        defer { for url in [directory, staging] { try? FileManager.default.removeItem(at: url) } }
        let file = directory.appendingPathComponent("planner.so")
        try PluginFixtures.compile(Self.planner(version: "1.0"), to: file)

        let registry = PluginRegistry(directories: [directory])
        #expect(registry.plugin(named: "planner")?.version == "1.0")
        let before = try registry.contextExtension(named: "planner")

        // Nothing changed: same plugins.
        #expect(registry.rescan().loaded == registry.lastReport.loaded)

        // Replaced the way package managers do it: a new file renamed over the old one.
        let staged = staging.appendingPathComponent("planner.so")
        try PluginFixtures.compile(Self.planner(version: "2.0"), to: staged)
        #expect(rename(staged.path, file.path) == 0)
        try PluginFixtures.compile(Self.planner(version: "1.0", name: "second"), to: directory.appendingPathComponent("second.so"))
        let report = registry.rescan()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(registry.plugin(named: "planner")?.version == "2.0")
        #expect(registry.plugin(named: "second") != nil)

        // A wrapper taken before the rescan still works: old code is never unloaded.
        let rope = RoPEParameters(theta: 10_000, rotaryDimensions: 8, headDimension: 8, trainedContextLength: 64)
        #expect(try before.plan(for: rope, sequenceLength: 64).effectiveContextLength == 64)

        try FileManager.default.removeItem(at: file)
        registry.rescan()
        #expect(registry.plugin(named: "planner") == nil)
        #expect(throws: PluginError.self) { try registry.contextExtension(named: "planner") }
    }

    @Test func lookupsAndRescansMayRunConcurrently() async throws {
        let registry = PluginRegistry(directories: [PluginFixtures.builtInDirectory])
        let results = await withTaskGroup(of: Int.self) { group in
            for index in 0..<16 {
                group.addTask {
                    if index % 4 == 0 { return registry.rescan().loaded.count }
                    return registry.plugins.count
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == PluginFixtures.builtIns.count })
    }
}
