import Foundation
import SealAPI
import SealConfig
import SealModel
import SealPlugins

/// The position encoding a request runs with, planned for the length it will reach.
struct ResolvedExtension: Sendable {
    let encoding: any PositionEncoding
    /// Positions a session may hold with it.
    let window: Int
    /// What was chosen (`nil`: plain RoPE), for responses and reports.
    let choice: ContextExtensionChoice?
    /// The plugin's label of the plan ("linear x4", else the plugin's name); `nil` with `choice`.
    let label: String?
}

extension PluginBridge {
    /// The longest window a context extension may open in the service: bounds the KV cache a
    /// request can make seal allocate, whatever its parameters say.
    static let maximumExtendedContext = 262_144

    /// The name a request uses for plain RoPE, overriding model and daemon defaults.
    static let noExtension = "none"

    /// The API error code for a plugin error. A plugin's own refusal of its parameters or of
    /// the model (status INVALID_ARGUMENT 1 or UNSUPPORTED 3) is `plugin_rejected`, with the
    /// plugin's message; what the host checks (unknown plugin or parameter, wrong type, out of
    /// the schema's bounds) and misbehaving plugins are `plugin_error`. Both are 422.
    static func serviceError(_ error: PluginError) -> ServiceError {
        if case .pluginFailed(_, _, let status, _) = error, status == 1 || status == 3 {
            return .unprocessable(error.description, code: "plugin_rejected")
        }
        return .unprocessable(error.description, code: "plugin_error")
    }

    /// The extension a model's metadata declares (GGUF `rope.scaling.*`, config.json
    /// `rope_scaling`) as a plugin choice; `nil` when it declares none or a type seal lacks.
    static func declared(_ scaling: DeclaredRoPEScaling?) -> ContextExtensionChoice? {
        guard let scaling, scaling.factor.isFinite, scaling.factor >= 1 else { return nil }
        var parameters: [String: JSONValue] = ["factor": .number(scaling.factor)]
        if let original = scaling.originalContextLength, original > 0 {
            parameters["original_max_position_embeddings"] = .number(Double(original))
        }
        switch scaling.type {
        case "linear":
            return ContextExtensionChoice(plugin: "linear", parameters: ["factor": .number(scaling.factor)])
        case "yarn":
            return ContextExtensionChoice(plugin: "yarn", parameters: parameters)
        case "dynamic":
            return ContextExtensionChoice(plugin: "dynamic-ntk", parameters: parameters)
        case "llama3":
            if let low = scaling.lowFrequencyFactor { parameters["low_freq_factor"] = .number(low) }
            if let high = scaling.highFrequencyFactor { parameters["high_freq_factor"] = .number(high) }
            return ContextExtensionChoice(plugin: "llama3", parameters: parameters)
        default:
            return nil
        }
    }

    static func choice(_ configured: ContextExtensionDefault) -> ContextExtensionChoice {
        ContextExtensionChoice(plugin: configured.plugin, parameters: configured.parameters.mapValues { value in
            switch value {
            case .number(let n): .number(n)
            case .string(let s): .string(s)
            case .bool(let b): .bool(b)
            }
        })
    }

    /// Checks seald.yaml's default extension against the loaded plugins and a model's RoPE.
    func validateDefault(_ configured: ContextExtensionDefault?, rope: RoPEParameters?) throws(ServiceError) {
        guard let configured, configured.plugin != Self.noExtension else { return }
        let choice = Self.choice(configured)
        let rope = rope ?? RoPEParameters(theta: 10_000, rotaryDimensions: 64, headDimension: 64, trainedContextLength: 4096)
        do {
            _ = try plan(choice, rope: rope, targetLength: rope.trainedContextLength)
        } catch {
            throw ServiceError.unprocessable("model.context_extension: \(error.message)", code: "invalid_configuration")
        }
    }

    /// The request's choice, else the model's declared scaling, else the daemon default,
    /// else plain RoPE with the loaded window. The plan is computed now for `targetLength`,
    /// so a parameter the plugin rejects is a 422 before any model work.
    func resolve(_ requested: ContextExtensionChoice?, loaded: ModelHost.Loaded,
                 rope: RoPEParameters, targetLength: Int) throws(ServiceError) -> ResolvedExtension {
        let configured = configuredDefault.withLock { $0 }
        let chosen = requested ?? Self.declared(loaded.model.configuration.declaredRoPEScaling) ?? configured.map(Self.choice)
        guard let choice = chosen, choice.plugin != Self.noExtension else {
            return ResolvedExtension(encoding: StandardRoPE(), window: loaded.contextLength, choice: nil, label: nil)
        }
        let (encoding, planned) = try plan(choice, rope: rope, targetLength: min(targetLength, Self.maximumExtendedContext))
        return ResolvedExtension(encoding: encoding, window: min(planned.effectiveContextLength, Self.maximumExtendedContext),
                                 choice: choice, label: planned.label.isEmpty ? choice.plugin : planned.label)
    }

    private func plan(_ choice: ContextExtensionChoice, rope: RoPEParameters,
                      targetLength: Int) throws(ServiceError) -> (PluginPositionEncoding, PluginPlan) {
        try calling {
            let plugin = try registry.contextExtension(named: choice.plugin)
            let values = try Self.values(choice.parameters, plugin: choice.plugin)
            let encoding = try plugin.positionEncoding(parameters: values, targetLength: max(1, targetLength))
            return (encoding, try plugin.plan(for: rope, sequenceLength: max(1, targetLength), parameters: values))
        }
    }

    /// The explicit refusal of a prompt longer than the window, naming what would reach it.
    func overflow(promptTokens: Int, needed: Int, window: Int, encodingName: String,
                  rope: RoPEParameters) -> ServiceError {
        let target = min(max(needed, promptTokens + 1), ExtensionAdvisor.maximumTarget)
        return ServiceError.unprocessable(
            "the prompt has \(promptTokens) tokens but the context window is \(window) (\(encodingName)); shorten it or choose a context extension — prompts are never truncated. \(reachHint(target, rope: rope))",
            code: "context_overflow")
    }

    /// The refusal of a job (grid, heads) whose longest samples need more positions than the
    /// window: the same `context_overflow` as a prompt, naming the methods that would reach them.
    func overflow(job samples: String, needed: Int, window: Int, rope: RoPEParameters) -> ServiceError {
        let target = min(needed, ExtensionAdvisor.maximumTarget)
        return ServiceError.unprocessable(
            "\(samples) need about \(needed) positions but the window is \(window); use shorter lengths or a context extension. \(reachHint(target, rope: rope))",
            code: "context_overflow")
    }

    /// Up to four loaded methods with parameters reaching `target`, as command-line options.
    private func reachHint(_ target: Int, rope: RoPEParameters) -> String {
        let ways = ExtensionAdvisor.suggestions(registry: registry, rope: rope, target: target)
            .prefix(4).map { "\($0.commandLine) (reaches \($0.effectiveContextLength))" }
        let hint = ways.isEmpty ? "no loaded context-extension plugin reaches it"
            : "context extensions that reach \(target): " + ways.joined(separator: "; ")
        return "\(hint); see `sealctl extend plan --target \(target)`"
    }
}
