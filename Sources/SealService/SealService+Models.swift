import Foundation
import SealAPI
import SealModel

/// The models a client may load: the configured one, then GGUF files in the default places.
extension SealService {
    package func configuredModelURL() throws -> URL {
        if let path = currentConfiguration.model.path { return URL(fileURLWithPath: path) }
        do { return try ModelLocator.defaultModel() } catch {
            throw ServiceError.unprocessable(error.description, code: "model_not_found")
        }
    }

    /// The loaded model plus GGUF files in the default locations.
    package func availableModels() -> [ModelInfo] {
        var models: [ModelInfo] = host.info.map { [$0] } ?? []
        let loadedPath = host.info?.path
        var seen = Set(models.map(\.path))
        var directories = ModelLocator.candidates().map { $0.deletingLastPathComponent() }
        if let configured = currentConfiguration.model.path {
            directories.insert(URL(fileURLWithPath: configured).deletingLastPathComponent(), at: 0)
        }
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".gguf") {
                let path = directory.appendingPathComponent(name).path
                guard !seen.contains(path), path != loadedPath else { continue }
                seen.insert(path)
                models.append(ModelInfo(name: name, path: path, loaded: false))
            }
        }
        return models
    }
}
