import Foundation
import SealPlugins
import Testing

/// Broken plugins are refused one by one, each with a message naming the file and the
/// fault, while the good plugins in the same directory still load.
@Suite("Malformed plugins")
struct MalformedPluginTests {
    /// File name → (source, text the error message must contain).
    static let broken: [(file: String, source: TestPluginSource?, expected: String)] = [
        ("wrong-abi.so", TestPluginSource(name: "\"wrong-abi\"", abiMajor: "2"), "built for plugin ABI 2.1, but this seal supports ABI 1.x (up to 1.1)"),
        ("size-zero.so", TestPluginSource(name: "\"size-zero\"", structSize: "0"), "descriptor struct_size is 0"),
        ("null-name.so", TestPluginSource(name: "NULL"), "name is NULL"),
        ("empty-name.so", TestPluginSource(name: "\"\""), "name is empty"),
        ("bad-name.so", TestPluginSource(name: "\"Bad Name\""), "plugin name 'Bad Name' is invalid"),
        ("null-version.so", TestPluginSource(name: "\"null-version\"", version: "NULL"), "version string"),
        ("bad-kind.so", TestPluginSource(name: "\"bad-kind\"", kind: "7"), "unknown kind 7"),
        ("no-entry.so", TestPluginSource(name: "\"no-entry\"", entrySymbol: "some_other_function"), "exports no 'seal_plugin_entry' symbol"),
        ("entry-null.so", TestPluginSource(name: "\"entry-null\"", entryReturnsNull: true), "returned NULL"),
        ("null-function.so", TestPluginSource(name: "\"null-function\"", fillLayout: "NULL"), "does not implement 'fill_layout'"),
        ("default-out-of-range.so", TestPluginSource(name: "\"default-out-of-range\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_INT, .name = "n",
              .default_value = { .type = SEAL_PARAM_INT, .integer = 1 }, .flags = SEAL_PARAM_HAS_MIN, .minimum = 2 },
            """), "parameter 'n' has default 1 outside its own bounds"),
        ("twice.so", TestPluginSource(name: "\"twice\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_BOOL, .name = "x", .default_value = { .type = SEAL_PARAM_BOOL } },
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_BOOL, .name = "x", .default_value = { .type = SEAL_PARAM_BOOL } },
            """, parameterCount: "2"), "parameter 'x' is declared twice"),
        ("bad-type.so", TestPluginSource(name: "\"bad-type\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = 9, .name = "x", .default_value = { .type = 9 } },
            """), "parameter 'x' has unknown type 9"),
        ("allowed-on-int.so", TestPluginSource(name: "\"allowed-on-int\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_INT, .name = "n",
              .default_value = { .type = SEAL_PARAM_INT, .integer = 1 }, .allowed_values = (const char *const[]){ "a" },
              .allowed_value_count = 1 },
            """), "parameter 'n' is int but declares allowed values"),
        ("default-not-allowed.so", TestPluginSource(name: "\"default-not-allowed\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_STRING, .name = "mode",
              .default_value = { .type = SEAL_PARAM_STRING, .string = "c" },
              .allowed_values = (const char *const[]){ "a", "b" }, .allowed_value_count = 2 },
            """), "parameter 'mode' has default \"c\", which is not among its allowed values (a, b)"),
        ("exclusive-without-bound.so", TestPluginSource(name: "\"exclusive-without-bound\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_FLOAT, .name = "alpha",
              .default_value = { .type = SEAL_PARAM_FLOAT, .number = 1 }, .flags = SEAL_PARAM_MIN_EXCLUSIVE },
            """), "parameter 'alpha' marks a bound exclusive without declaring it"),
        ("default-on-exclusive-bound.so", TestPluginSource(name: "\"default-on-exclusive-bound\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_FLOAT, .name = "alpha",
              .default_value = { .type = SEAL_PARAM_FLOAT, .number = 0 },
              .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_MIN_EXCLUSIVE, .minimum = 0 },
            """), "parameter 'alpha' has default 0.0 outside its own bounds"),
        ("not-elf.so", nil, "is not an ELF shared object"),
        ("twin-b.so", TestPluginSource(name: "\"twin\"", version: "\"2.0\""), "duplicate plugin name 'twin'"),
    ]

    @Test func eachBrokenPluginIsReportedAndTheGoodOnesLoad() throws {
        let directory = try PluginFixtures.temporaryDirectory("malformed")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (file, _, _) in PluginFixtures.builtIns {
            try FileManager.default.copyItem(at: PluginFixtures.builtIn(file), to: directory.appendingPathComponent(file))
        }
        for (file, source, _) in Self.broken {
            let url = directory.appendingPathComponent(file)
            if let source { try PluginFixtures.compile(source.text, to: url) } else {
                try "this is a text file, not a plugin\n".write(to: url, atomically: true, encoding: .utf8)
            }
        }
        // A good plugin sorted before its twin keeps the name.
        try PluginFixtures.compile(TestPluginSource(name: "\"twin\"").text, to: directory.appendingPathComponent("twin-a.so"))
        try "notes".write(to: directory.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)

        let report = PluginRegistry(directories: [directory]).lastReport
        #expect(Set(report.loaded.map(\.name)) == Set(PluginFixtures.builtIns.map(\.1)).union(["twin"]))
        #expect(report.loaded.first { $0.name == "twin" }?.path.hasSuffix("twin-a.so") == true)
        #expect(report.errors.count == Self.broken.count, "\(report.errors.map(\.description).joined(separator: "\n"))")
        for (file, _, expected) in Self.broken {
            let error = report.errors.first { $0.path.hasSuffix("/" + file) }
            #expect(error?.message.contains(expected) == true, "\(file): \(error?.description ?? "no error reported")")
            #expect(error?.description.hasPrefix(directory.appendingPathComponent(file).path) == true)
        }
        #expect(report.notes.contains { $0.contains("README.txt") && $0.contains("not a .so file") })
    }

    @Test func aWorldWritablePluginIsRefused() throws {
        let directory = try PluginFixtures.temporaryDirectory("writable")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("libseal-linear.so")
        try FileManager.default.copyItem(at: PluginFixtures.builtIn("libseal-linear.so"), to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: url.path)
        let report = PluginRegistry(directories: [directory]).lastReport
        #expect(report.loaded.isEmpty)
        #expect(report.errors.first?.message.contains("writable by every user") == true)
    }

    @Test func missingDirectoriesAreNotesNotErrors() {
        let report = PluginRegistry(directories: [URL(fileURLWithPath: "/nonexistent/seal/plugins")]).lastReport
        #expect(report.errors.isEmpty && report.loaded.isEmpty)
        #expect(report.notes == ["plugin directory /nonexistent/seal/plugins does not exist; skipped"])
    }
}
