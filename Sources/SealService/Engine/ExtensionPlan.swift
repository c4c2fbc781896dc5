import SealAPI
import SealModel
import SealPlugins

/// Which parameters of each context-extension method reach a target length, for the loaded model.
extension PluginBridge {
    package func extensionPlan(loaded: ModelHost.Loaded, target: Int) -> ExtensionPlanResponse {
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
