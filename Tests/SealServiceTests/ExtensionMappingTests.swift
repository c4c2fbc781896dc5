@testable import SealService
import SealAPI
import SealModel
import SealPlugins
import Testing

/// How the service names plugin failures and turns a model's declared RoPE scaling into a plugin choice.
@Suite("Context-extension mapping in the service")
struct ExtensionMappingTests {
    @Test func aPluginsOwnRefusalIsPluginRejectedAndHostChecksArePluginError() {
        let refused = PluginBridge.serviceError(.pluginFailed(plugin: "self-extend", operation: "plan", status: 1,
                                                              message: "window 9000 must be below 8192"))
        #expect(refused.kind == .unprocessable && refused.code == "plugin_rejected")
        #expect(refused.message.contains("window 9000 must be below 8192"))
        let unsupported = PluginBridge.serviceError(.pluginFailed(plugin: "ntk", operation: "plan", status: 3, message: "2 dims"))
        #expect(unsupported.code == "plugin_rejected")
        let internalFailure = PluginBridge.serviceError(.pluginFailed(plugin: "x", operation: "plan", status: 4, message: "oom"))
        #expect(internalFailure.kind == .unprocessable && internalFailure.code == "plugin_error")
        let unknown = PluginBridge.serviceError(.unknownParameter(plugin: "yarn", parameter: "fctor", known: ["factor"]))
        #expect(unknown.kind == .unprocessable && unknown.code == "plugin_error" && unknown.message.contains("fctor"))
    }

    @Test func declaredScalingBecomesTheMatchingPlugin() {
        let llama = PluginBridge.declared(DeclaredRoPEScaling(type: "llama3", factor: 8, originalContextLength: 8192,
                                                              lowFrequencyFactor: 1, highFrequencyFactor: 4))
        #expect(llama == ContextExtensionChoice(plugin: "llama3", parameters: [
            "factor": .number(8), "original_max_position_embeddings": .number(8192),
            "low_freq_factor": .number(1), "high_freq_factor": .number(4)]))
        #expect(PluginBridge.declared(DeclaredRoPEScaling(type: "yarn", factor: 4, originalContextLength: 32768))
            == ContextExtensionChoice(plugin: "yarn", parameters: ["factor": .number(4),
                                                                   "original_max_position_embeddings": .number(32768)]))
        #expect(PluginBridge.declared(DeclaredRoPEScaling(type: "dynamic", factor: 2))?.plugin == "dynamic-ntk")
        #expect(PluginBridge.declared(DeclaredRoPEScaling(type: "linear", factor: 2))
            == ContextExtensionChoice(plugin: "linear", parameters: ["factor": .number(2)]))
        #expect(PluginBridge.declared(DeclaredRoPEScaling(type: "longrope", factor: 2)) == nil)
        #expect(PluginBridge.declared(DeclaredRoPEScaling(type: "yarn", factor: .nan)) == nil)
        #expect(PluginBridge.declared(nil) == nil)
    }
}
