import Foundation
import SealAPI
import SealModel

extension SealService {
    /// A scale set for the loaded model from a strategy plugin and values.
    package func createScaleSet(_ request: CreateScaleSetRequest) async throws -> Artifact {
        let loaded = try await host.currentOrLoading()
        let c = loaded.model.configuration
        guard request.values?.allSatisfy(\.isFinite) ?? true else { throw ServiceError.badRequest("values must be finite numbers") }
        let made = try plugins.scales(strategy: request.strategy, parameters: request.parameters ?? [:], values: request.values,
                                      configuration: c)
        let content = ScaleSetContent(
            strategy: request.strategy, parameters: request.parameters ?? [:], model: ModelHost.info(loaded).name,
            layers: c.layerCount, heads: c.headCount, headDimension: c.headDimension,
            values: made.values.map(Double.init), scales: made.scales.layers.map { $0.map(Double.init) })
        let flat = made.values
        let mean = flat.isEmpty ? 1 : flat.reduce(0, +) / Float(flat.count)
        return try await store.saveArtifact(
            kind: .scaleSet, name: request.name, content: content,
            summary: ["strategy": .string(request.strategy), "parameters": .number(Double(flat.count)),
                      "mean": .number(Double(mean)), "min": .number(Double(flat.min() ?? 1)), "max": .number(Double(flat.max() ?? 1))])
    }
}
