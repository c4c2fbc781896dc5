import Foundation
import SealTestSupport
import Testing

/// Finds the built plugins and compiles throwaway C plugins for the tests.
enum PluginFixtures {
    static let packageRoot = PackagePaths.root

    static let includeDirectory = packageRoot.appendingPathComponent("Sources/SealPluginABI/include")

    /// The built-in plugins: file name, plugin name, source directory.
    static let builtIns = [
        ("libseal-linear.so", "linear", "Plugins/linear-interpolation"),
        ("libseal-passkey.so", "passkey", "Plugins/passkey"),
        ("libseal-lines.so", "lines", "Plugins/lines"),
        ("libseal-kv.so", "kv", "Plugins/kv"),
        ("libseal-niah.so", "niah", "Plugins/niah"),
        ("libseal-headwise.so", "headwise", "Plugins/headwise-scaling"),
        ("libseal-channelwise.so", "channelwise", "Plugins/channelwise-scaling"),
        ("libseal-ntk.so", "ntk", "Plugins/ntk"),
        ("libseal-dynamic-ntk.so", "dynamic-ntk", "Plugins/dynamic-ntk"),
        ("libseal-yarn.so", "yarn", "Plugins/yarn"),
        ("libseal-llama3.so", "llama3", "Plugins/llama3"),
        ("libseal-self-extend.so", "self-extend", "Plugins/self-extend"),
    ]

    /// A directory holding the built-in plugins.
    ///
    /// Prefers the ones SwiftPM built next to the test binary (whatever the scratch path);
    /// falls back to `.build/debug`, and finally compiles the C sources with `cc`, so the
    /// tests also run when only the test target was built.
    static var builtInDirectory: URL { located.directory }
    /// Where the built-in plugins came from, for test failure messages.
    static var builtInOrigin: String { located.origin }

    private static let located: (directory: URL, origin: String) = {
        // The directory is private to this process; remove it when the test run ends.
        atexit {
            let directory = PluginFixtures.located.directory
            if directory.lastPathComponent.hasPrefix("seal-plugin-tests-") {
                try? FileManager.default.removeItem(at: directory)
            }
        }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        for directory in candidates where builtIns.allSatisfy({
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.0).path)
        }) {
            // Copied into a directory of their own, so a scan sees exactly these.
            if let copy = try? temporaryDirectory("builtins") {
                for (file, _, _) in builtIns {
                    try? FileManager.default.copyItem(at: directory.appendingPathComponent(file),
                                                      to: copy.appendingPathComponent(file))
                }
                return (copy, directory.path)
            }
        }
        let directory = (try? temporaryDirectory("compiled-builtins")) ?? FileManager.default.temporaryDirectory
        for (file, _, source) in builtIns {
            try? compile(fileAt: packageRoot.appendingPathComponent(source).appendingPathComponent("plugin.c"),
                         to: directory.appendingPathComponent(file))
        }
        return (directory, "compiled from Plugins/ with cc")
    }()

    static func builtIn(_ file: String) -> URL { builtInDirectory.appendingPathComponent(file) }

    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory(_ label: String = "plugins") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seal-plugin-tests-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct CompileError: Error, CustomStringConvertible {
        var description: String
    }

    /// Compiles C source text into a shared object at `output`.
    static func compile(_ source: String, to output: URL) throws {
        let file = output.deletingPathExtension().appendingPathExtension("c")
        try source.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try compile(fileAt: file, to: output)
    }

    /// Compiles one C file; `include` is the directory holding `seal_plugin.h` (the current
    /// header by default; the 1.0 copy in Tests/Fixtures for compatibility tests).
    static func compile(fileAt source: URL, to output: URL, include: URL = includeDirectory) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-std=c11", "-shared", "-fPIC", "-O1", "-I", include.path,
                             "-I", packageRoot.appendingPathComponent("Plugins/rope-common/include").path,
                             "-I", source.deletingLastPathComponent().path, "-o", output.path, source.path, "-lm"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CompileError(description: "cc failed for \(source.lastPathComponent): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
