import SealAPI
import SealModel
import SealPlugins
import SealServer

extension SealService {
    /// `GET /api/extensions/plan?target=N`: which parameters of each method reach N positions.
    func addExtensionRoutes(_ router: inout Router) {
        router.get("/api/extensions/plan") { request, _ in
            try await Reply.guarded {
                guard let target = try request.query("target", as: Int.self) else {
                    throw ServiceError.badRequest("query parameter 'target' is required, e.g. /api/extensions/plan?target=32768")
                }
                guard (1...ExtensionAdvisor.maximumTarget).contains(target) else {
                    throw ServiceError.badRequest("target \(target) is outside 1...\(ExtensionAdvisor.maximumTarget)")
                }
                let loaded = try await self.host.currentOrLoading()
                return try Reply.json(self.plugins.extensionPlan(loaded: loaded, target: target))
            }
        }
    }
}

extension PluginBridge {
    func extensionPlan(loaded: ModelHost.Loaded, target: Int) -> ExtensionPlanResponse {
        let rope = loaded.model.transformer.ropeParameters
        let methods = ExtensionAdvisor.suggestions(registry: registry, rope: rope, target: target).map { suggestion in
            ExtensionMethodPlan(plugin: suggestion.method,
                                parameters: suggestion.parameterValues.mapValues(Self.json),
                                effectiveContext: suggestion.effectiveContextLength, label: suggestion.label,
                                command: suggestion.commandLine)
        }
        let table = ExtensionAdvisor.selfExtendTable(rope: rope, target: target).map {
            SelfExtendChoice(group: $0.group, window: $0.window, effectiveContext: $0.effectiveContextLength,
                             largestPosition: $0.largestPosition, withinRuleOfThumb: $0.withinRuleOfThumb)
        }
        return ExtensionPlanResponse(model: ModelHost.info(loaded).name, trainedContext: rope.trainedContextLength,
                                     target: target, methods: methods, selfExtend: table)
    }
}
