import Foundation
import SealAPI
import SealModel
import SealPlugins
import Synchronization
import SealConfig

/// The service's view of the plugin registry: API values in, plugin calls
/// out, and plugin errors turned into 422 responses that name the plugin.
package final class PluginBridge: Sendable {
    let registry: PluginRegistry
    /// seald.yaml's `model.context_extension`, set at start and on reload once validated.
    let configuredDefault = Mutex<ContextExtensionDefault?>(nil)

    init(registry: PluginRegistry) {
        self.registry = registry
    }

    package func list() -> PluginListResponse {
        Self.response(registry.lastReport)
    }

    package func rescan() -> PluginListResponse {
        Self.response(registry.rescan())
    }

    static func response(_ report: PluginScanReport) -> PluginListResponse {
        PluginListResponse(
            plugins: report.loaded.map { info in
                PluginInfoBody(
                    name: info.name, version: info.version, kind: info.kind.rawValue, abiVersion: info.abiVersion,
                    path: info.path, description: info.description,
                    parameters: info.parameters.map { p in
                        PluginParameterInfo(name: p.name, type: p.type.rawValue, defaultValue: json(p.defaultValue),
                                            minimum: p.minimum, maximum: p.maximum, description: p.description,
                                            allowedValues: p.allowedValues,
                                            exclusiveMinimum: p.exclusiveMinimum ? true : nil,
                                            exclusiveMaximum: p.exclusiveMaximum ? true : nil)
                    })
            },
            errors: report.errors.map { PluginListResponse.LoadError(path: $0.path, message: $0.message) })
    }

    static func json(_ value: PluginParameterValue) -> JSONValue {
        switch value {
        case .int(let v): .number(Double(v))
        case .float(let v): .number(v)
        case .string(let v): .string(v)
        case .bool(let v): .bool(v)
        }
    }

    /// API parameter values to plugin values; whole numbers become ints (the
    /// binding accepts them for float parameters too).
    static func values(_ parameters: [String: JSONValue], plugin: String) throws(ServiceError) -> [String: PluginParameterValue] {
        var out: [String: PluginParameterValue] = [:]
        for (name, value) in parameters {
            switch value {
            case .number(let n): out[name] = n == n.rounded() && abs(n) < 9e15 ? .int(Int64(n)) : .float(n)
            case .string(let s): out[name] = .string(s)
            case .bool(let b): out[name] = .bool(b)
            default:
                throw ServiceError.badRequest("plugin '\(plugin)' parameter '\(name)' must be a number, string or boolean")
            }
        }
        return out
    }

    /// Runs a plugin call, answering its failures as 422 naming the plugin: the one place plugin
    /// errors become API errors (see ``serviceError(_:)``).
    func calling<T>(_ body: () throws -> T) throws(ServiceError) -> T {
        do {
            return try body()
        } catch let error as ServiceError {
            throw error
        } catch let error as PluginError {
            throw Self.serviceError(error)
        } catch {
            throw ServiceError.unprocessable("\(error)", code: "plugin_error")
        }
    }

    func positionEncoding(_ choice: ContextExtensionChoice, targetLength: Int? = nil) throws(ServiceError) -> any PositionEncoding {
        try calling {
            try registry.contextExtension(named: choice.plugin)
                .positionEncoding(parameters: try Self.values(choice.parameters, plugin: choice.plugin), targetLength: targetLength)
        }
    }

    func checkTask(_ name: String, parameters: [String: JSONValue]) throws(ServiceError) {
        try calling { try registry.task(named: name).validate(parameters: try Self.values(parameters, plugin: name)) }
    }

    /// The names of a task's parameters (to check that it supports grid depths).
    func taskParameterNames(_ name: String) throws(ServiceError) -> [String] {
        try calling { try registry.task(named: name).info.parameters.map(\.name) }
    }

    func version(of name: String) -> String { registry.plugin(named: name)?.version ?? "unknown" }

    func makeSample(task: String, index: Int, seed: UInt64, targetTokens: Int, parameters: [String: JSONValue],
                    sampleCount: Int = 1, purpose: TaskPurpose = .evaluation,
                    tokenCounter: (String) -> Int,
                    textGenerator: ((String, Int) -> String?)? = nil) throws(ServiceError) -> TaskSample {
        try calling {
            try registry.task(named: task).makeSample(
                index: index, seed: seed, targetTokens: targetTokens,
                parameters: try Self.values(parameters, plugin: task), sampleCount: max(sampleCount, index + 1),
                purpose: purpose, tokenCounter: tokenCounter, textGenerator: textGenerator)
        }
    }

    func score(task: String, prompt: String, answer: String, label: String, output: String,
               parameters: [String: JSONValue]) throws(ServiceError) -> TaskScore {
        try calling {
            try registry.task(named: task).score(
                sample: TaskSample(prompt: prompt, answer: answer, label: label), output: output,
                parameters: try Self.values(parameters, plugin: task))
        }
    }

    /// A scaling strategy's layout for this model (what tuning trains).
    func layout(strategy: String, parameters: [String: JSONValue], configuration: ModelConfiguration) throws(ServiceError) -> ScalingLayout {
        try calling {
            try registry.scalingStrategy(named: strategy).layout(for: configuration, parameters: try Self.values(parameters, plugin: strategy))
        }
    }

    /// A task sample's fields as API values.
    static func json(_ fields: [String: PluginParameterValue]) -> [String: JSONValue]? {
        fields.isEmpty ? nil : fields.mapValues { json($0) }
    }

    /// A scale set from values (or the strategy's initial values) for this model.
    func scales(strategy: String, parameters: [String: JSONValue], values: [Double]?,
                configuration: ModelConfiguration) throws(ServiceError) -> (values: [Float], scales: HeadScales) {
        try calling {
            let layout = try registry.scalingStrategy(named: strategy)
                .layout(for: configuration, parameters: try Self.values(parameters, plugin: strategy))
            let chosen = values.map { $0.map(Float.init) } ?? layout.initialValues
            guard chosen.count == layout.parameterCount else {
                throw ServiceError.unprocessable(
                    "strategy '\(strategy)' has \(layout.parameterCount) parameters for this model, \(chosen.count) values given")
            }
            return (chosen, try layout.headScales(from: chosen, configuration: configuration))
        }
    }
}
