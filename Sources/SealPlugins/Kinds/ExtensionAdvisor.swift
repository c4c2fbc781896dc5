import Foundation
import SealModel

/// One way to reach a context length: a method, its parameters, and the reach its plugin reports.
public struct ExtensionSuggestion: Sendable, Equatable {
    public var method: String
    /// In the order a user would type them.
    public var parameters: [(name: String, value: PluginParameterValue)]
    /// Positions the plugin's own plan says this reaches (asked of the plugin, not estimated).
    public var effectiveContextLength: Int
    public var label: String

    public static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.effectiveContextLength == b.effectiveContextLength && a.label == b.label
            && a.parameters.map(\.name) == b.parameters.map(\.name) && a.parameters.map(\.value) == b.parameters.map(\.value)
    }

    /// The parameters as a dictionary, for the plugin calls.
    public var parameterValues: [String: PluginParameterValue] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) })
    }

    /// How to ask for it with sealctl, e.g. `--extension self-extend --extension-param group=4 --extension-param window=1024`.
    public var commandLine: String {
        (["--extension \(method)"] + parameters.map { "--extension-param \($0.name)=\($0.value)" }).joined(separator: " ")
    }
}

/// A Self-Extend choice of group size and neighbour window with what it reaches.
public struct SelfExtendOption: Sendable, Equatable {
    public var group: Int
    public var window: Int
    /// (L - W) * G + W.
    public var effectiveContextLength: Int
    /// Largest position the model then sees at the target length, W + (N - W) / G.
    public var largestPosition: Int
    /// Whether it keeps the authors' rule of thumb: that largest position at most 2/3 of L.
    public var withinRuleOfThumb: Bool
}

/// Which parameters of each loaded context-extension method reach a target length.
///
/// A frequent question from llama.cpp users ("which G and W for 32K?"). The numbers come
/// from the plugins themselves: each suggestion's parameters are chosen here, then the
/// plugin's plan is asked for its reach, and suggestions that fall short are dropped.
public enum ExtensionAdvisor {
    /// Methods in the order they are suggested; only loaded ones appear.
    public static let methods = ["self-extend", "yarn", "ntk", "dynamic-ntk", "linear", "llama3"]

    /// The largest target the advisor plans for (a bound on hostile input).
    public static let maximumTarget = 16_777_216

    /// One suggestion per loaded method that reaches `target` positions.
    public static func suggestions(registry: PluginRegistry, rope: RoPEParameters, target: Int) -> [ExtensionSuggestion] {
        guard target > 0, target <= maximumTarget, rope.trainedContextLength > 1 else { return [] }
        let trained = rope.trainedContextLength
        // Scale factors in quarters, rounded up so the reach covers the target.
        let factor = Double((4 * target + trained - 1) / trained) / 4
        var out: [ExtensionSuggestion] = []
        for method in methods {
            guard let plugin = try? registry.contextExtension(named: method) else { continue }
            let parameters: [(name: String, value: PluginParameterValue)]
            switch method {
            case "self-extend":
                // The widest neighbour window that keeps the rule of thumb.
                let table = selfExtendTable(rope: rope, target: target)
                guard let best = table.last(where: \.withinRuleOfThumb) ?? table.first else { continue }
                parameters = [("group", .int(Int64(best.group))), ("window", .int(Int64(best.window)))]
            case "dynamic-ntk":
                parameters = [("factor", .float(2))]
            case "llama3":
                parameters = [("factor", .float(max(1, factor))), ("original_max_position_embeddings", .int(Int64(trained)))]
            default:
                parameters = [("factor", .float(max(1, factor)))]
            }
            let values = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) })
            guard let planned = try? plugin.plan(for: rope, sequenceLength: target, parameters: values),
                  planned.effectiveContextLength >= target else { continue }
            out.append(ExtensionSuggestion(method: method, parameters: parameters,
                                           effectiveContextLength: planned.effectiveContextLength, label: planned.label))
        }
        return out
    }

    /// Self-Extend choices for `target`: for each neighbour window (L/16, L/8, L/4, capped
    /// at 4096), the smallest group reaching the target and the next power of two above it.
    public static func selfExtendTable(rope: RoPEParameters, target: Int) -> [SelfExtendOption] {
        let trained = rope.trainedContextLength
        guard trained >= 32, target > 0, target <= maximumTarget else { return [] }
        var rows: [SelfExtendOption] = []
        for window in Set([trained / 16, trained / 8, trained / 4].map { min($0, 4096) }).sorted() where window >= 1 {
            let smallest = max(1, (max(target, trained) - window + (trained - window) - 1) / (trained - window))
            var groups = [smallest]
            var power = 1
            while power <= smallest { power *= 2 }
            if power != smallest { groups.append(power) }
            for group in groups where group <= 4096 {
                let largest = window + (max(target, window) - window) / group
                rows.append(SelfExtendOption(group: group, window: window,
                                             effectiveContextLength: (trained - window) * group + window,
                                             largestPosition: largest,
                                             withinRuleOfThumb: 3 * largest <= 2 * trained))
            }
        }
        return rows
    }
}
