import SealModel
import SealPluginABI

/// A position-encoding plan computed by a plugin, with what it enables.
public struct PluginPlan: Sendable, Equatable {
    public var plan: PositionEncodingPlan
    /// Positions the plan lets the model address.
    public var effectiveContextLength: Int
    /// The plugin's short description of the plan, e.g. "linear x4".
    public var label: String
}

/// A training-free context-extension method (linear interpolation, NTK, YaRN, Self-Extend, ...).
///
/// The plugin describes the positions (frequencies, attention factor, distance bands);
/// seal's transformer does the computing. The plugin is asked once per session.
public struct ContextExtensionPlugin: Sendable {
    let plugin: LoadedPlugin

    init(_ plugin: LoadedPlugin) {
        self.plugin = plugin
    }

    public var info: PluginInfo { plugin.info }

    /// The most bands a plugin may return (what the transformer supports).
    public static let bandCapacity = 8
    static let labelCapacity = 128

    /// Checks `parameters` against the schema without calling the plugin.
    public func validate(parameters: [String: PluginParameterValue]) throws(PluginError) {
        _ = try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters)
    }

    /// A ``PositionEncoding`` for `InferenceSession` backed by this plugin.
    ///
    /// Parameters are checked now, so a bad request fails before any model work.
    /// - Parameter targetLength: the context the caller intends to use; methods whose
    ///   reach depends on it (linear with `factor` 0) size themselves to it. Without it
    ///   they are asked for the trained length.
    public func positionEncoding(parameters: [String: PluginParameterValue] = [:],
                                 targetLength: Int? = nil) throws(PluginError) -> PluginPositionEncoding {
        try validate(parameters: parameters)
        if let targetLength, targetLength <= 0 {
            throw PluginError.invalidRequest(plugin: info.name, reason: "target length \(targetLength) must be positive")
        }
        return PluginPositionEncoding(plugin: self, parameters: parameters, targetLength: targetLength)
    }

    /// Asks the plugin for the plan of a sequence reaching `sequenceLength` positions,
    /// and checks it against the model.
    public func plan(for rope: RoPEParameters, sequenceLength: Int,
                     parameters: [String: PluginParameterValue] = [:]) throws(PluginError) -> PluginPlan {
        let call = PluginCall(plugin: info.name, operation: "plan")
        guard case .contextExtension(let functions) = plugin.functions, let planFunction = functions.plan else {
            throw call.refuse("is not a context-extension plugin")
        }
        guard rope.rotaryDimensions > 0, rope.rotaryDimensions % 2 == 0, rope.rotaryDimensions <= rope.headDimension,
              rope.headDimension <= 65_536,
              rope.theta.isFinite, rope.theta > 0, rope.trainedContextLength > 0 else {
            throw call.refuse("the model's RoPE settings are invalid: \(rope)")
        }
        guard sequenceLength > 0 else { throw call.refuse("sequence length \(sequenceLength) must be positive") }
        let values = CParameterValues(try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters))
        let request = seal_rope_request(
            struct_size: CLayout.size(of: seal_rope_request.self), theta: rope.theta,
            rotary_dims: Int32(rope.rotaryDimensions), head_dim: Int32(rope.headDimension),
            trained_context: Int64(rope.trainedContextLength), sequence_length: Int64(sequenceLength))

        // Pre-filled with plain RoPE, as the header promises.
        var frequencies = rope.baseInverseFrequencies
        var bands = [seal_position_band](repeating: seal_position_band(), count: Self.bandCapacity)
        var label = [CChar](repeating: 0, count: Self.labelCapacity)
        var plan = seal_position_plan()
        plan.struct_size = CLayout.size(of: seal_position_plan.self)
        plan.frequency_count = UInt32(frequencies.count)
        plan.band_capacity = UInt32(bands.count)
        plan.attention_factor = 1
        plan.effective_context = Int64(rope.trainedContextLength)
        plan.label_capacity = label.count
        let host = HostContext()
        let failure: PluginError? = frequencies.withUnsafeMutableBufferPointer { frequencies in
            bands.withUnsafeMutableBufferPointer { bands in
                label.withUnsafeMutableBufferPointer { label in
                    plan.inverse_frequencies = frequencies.baseAddress
                    plan.bands = bands.baseAddress
                    plan.label = label.baseAddress
                    defer { (plan.inverse_frequencies, plan.bands, plan.label) = (nil, nil, nil) }
                    return host.withHost { hostPointer in
                        values.withValues { params, count in
                            withUnsafePointer(to: request) { request in
                                call.call { error, capacity in
                                    planFunction(hostPointer, params, count, request, &plan, error, capacity)
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return try check(plan, frequencies: frequencies, bands: bands, label: label, rope: rope, call: call)
    }

    private func check(_ plan: seal_position_plan, frequencies: [Double], bands: [seal_position_band], label: [CChar],
                       rope: RoPEParameters, call: PluginCall) throws(PluginError) -> PluginPlan {
        guard Int(plan.band_count) <= bands.count else {
            throw call.invalid("band_count \(plan.band_count) exceeds the \(bands.count) bands provided")
        }
        var result: [PositionBand] = []
        for (index, band) in bands.prefix(Int(plan.band_count)).enumerated() {
            guard band.max_distance >= -1 else {
                throw call.invalid("band \(index) has max_distance \(band.max_distance) (use -1 for unbounded)")
            }
            result.append(PositionBand(
                minimumDistance: Int(band.min_distance),
                maximumDistance: band.max_distance == -1 ? nil : Int(band.max_distance),
                query: PositionTransform(divisor: Int(band.query_divisor), offset: Int(band.query_offset)),
                key: PositionTransform(divisor: Int(band.key_divisor), offset: Int(band.key_offset))))
        }
        let encodingPlan = PositionEncodingPlan(inverseFrequencies: frequencies, attentionFactor: plan.attention_factor,
                                                bands: result.isEmpty ? [.all] : result)
        do throws(SealModelError) {
            try encodingPlan.validate(for: rope)
        } catch {
            throw call.invalid(error.description)
        }
        guard plan.effective_context > 0, let effective = Int(exactly: plan.effective_context) else {
            throw call.invalid("effective context \(plan.effective_context) must be positive")
        }
        let text = String(decoding: label.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return PluginPlan(plan: encodingPlan, effectiveContextLength: effective, label: text.isEmpty ? info.name : text)
    }
}
