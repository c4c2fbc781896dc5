import SealModel

/// seal's ``PositionEncoding`` hook implemented by a context-extension plugin.
///
/// `InferenceSession` asks for the effective length and the plan once each, when the
/// session is created; the transformer then runs on the plan alone, so the plugin is
/// never called per token.
public struct PluginPositionEncoding: PositionEncoding {
    public let plugin: ContextExtensionPlugin
    /// As given by the caller (already checked against the schema).
    public let parameters: [String: PluginParameterValue]
    /// The context the caller intends to use, for methods that size themselves to it.
    public let targetLength: Int?

    /// The plugin name and the parameters set explicitly, e.g. "linear(factor=4.0)".
    public var name: String {
        guard !parameters.isEmpty else { return plugin.info.name }
        let list = parameters.keys.sorted().compactMap { key in parameters[key].map { "\(key)=\($0)" } }
        return "\(plugin.info.name)(\(list.joined(separator: ", ")))"
    }

    public func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
        do throws(PluginError) {
            return try plugin.plan(for: rope, sequenceLength: sequenceLength, parameters: parameters).plan
        } catch {
            throw SealModelError(.invalidPositionEncoding(reason: error.description))
        }
    }

    /// What the plugin reports for ``targetLength`` (or the trained length).
    ///
    /// This requirement cannot throw; if the plugin fails, the trained length is returned
    /// and the same failure surfaces, with its message, from ``plan(for:sequenceLength:)``.
    public func effectiveContextLength(for rope: RoPEParameters) -> Int {
        let length = targetLength ?? rope.trainedContextLength
        let planned = try? plugin.plan(for: rope, sequenceLength: length, parameters: parameters)
        return planned?.effectiveContextLength ?? rope.trainedContextLength
    }
}
