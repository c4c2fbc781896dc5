import SealModel
import SealPluginABI

/// Which learned multipliers exist and what each multiplies (SEAL-H, SEAL-C, ...).
///
/// The plugin describes the layout once, as an array fill; training and inference then
/// work on plain arrays (``ScalingLayout/headScales(from:configuration:)``).
public struct ScalingStrategyPlugin: Sendable {
    let plugin: LoadedPlugin

    init(_ plugin: LoadedPlugin) {
        self.plugin = plugin
    }

    public var info: PluginInfo { plugin.info }

    /// Most map entries (layers x heads x head dimension) the host allocates: 1 GiB of map.
    static let maximumMapCount = 1 << 28

    /// Checks `parameters` against the schema without calling the plugin.
    public func validate(parameters: [String: PluginParameterValue]) throws(PluginError) {
        _ = try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters)
    }

    /// The layout of learned multipliers for a model of this shape.
    public func layout(for configuration: ModelConfiguration,
                       parameters: [String: PluginParameterValue] = [:]) throws(PluginError) -> ScalingLayout {
        let call = PluginCall(plugin: info.name, operation: "parameter_count")
        guard case .scaling(let functions) = plugin.functions, let countFunction = functions.parameter_count,
              let fillFunction = functions.fill_layout else {
            throw call.refuse("is not a scaling-strategy plugin")
        }
        let layers = configuration.layerCount, heads = configuration.headCount, dimension = configuration.headDimension
        guard layers > 0, heads > 0, dimension > 0, configuration.keyValueHeadCount > 0,
              layers <= Int(Int32.max), heads <= Int(Int32.max), dimension <= Int(Int32.max),
              configuration.keyValueHeadCount <= Int(Int32.max) else {
            throw call.refuse("the model shape \(layers) layers x \(heads) heads x \(dimension) channels is invalid")
        }
        let (mapCount, overflow) = (layers * heads).multipliedReportingOverflow(by: dimension)
        guard !overflow, mapCount <= Self.maximumMapCount else {
            throw call.refuse("the model has too many attention channels (\(layers) x \(heads) x \(dimension)) for a scaling layout")
        }
        let values = CParameterValues(try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters))
        let shape = seal_model_shape(struct_size: CLayout.size(of: seal_model_shape.self), layers: Int32(layers),
                                     heads: Int32(heads), kv_heads: Int32(configuration.keyValueHeadCount),
                                     head_dim: Int32(dimension))
        let host = HostContext()

        var count: Int64 = -1
        let countFailure: PluginError? = host.withHost { hostPointer in
            values.withValues { params, parameterCount in
                withUnsafePointer(to: shape) { shape in
                    call.call { error, capacity in countFunction(hostPointer, params, parameterCount, shape, &count, error, capacity) }
                }
            }
        }
        if let countFailure { throw countFailure }
        guard count >= 0, count <= Int64(mapCount) else {
            throw call.invalid("parameter count \(count) is outside 0...\(mapCount) (one per attention channel at most)")
        }

        let fill = PluginCall(plugin: info.name, operation: "fill_layout")
        var initial = [Float](repeating: 1, count: Int(count))
        var map = [Int32](repeating: -1, count: mapCount)
        var regularisation = seal_regularisation(struct_size: CLayout.size(of: seal_regularisation.self),
                                                 kind: SEAL_REGULARISATION_NONE, target: 1, weight: 0)
        let fillFailure: PluginError? = initial.withUnsafeMutableBufferPointer { initial in
            map.withUnsafeMutableBufferPointer { map in
                withUnsafeMutablePointer(to: &regularisation) { regularisation in
                    var layout = seal_scaling_layout(
                        struct_size: CLayout.size(of: seal_scaling_layout.self), initial_values: initial.baseAddress,
                        parameter_count: count, map: map.baseAddress, map_count: Int64(mapCount),
                        regularisation: regularisation)
                    return host.withHost { hostPointer in
                        values.withValues { params, parameterCount in
                            withUnsafePointer(to: shape) { shape in
                                fill.call { error, capacity in
                                    fillFunction(hostPointer, params, parameterCount, shape, &layout, error, capacity)
                                }
                            }
                        }
                    }
                }
            }
        }
        if let fillFailure { throw fillFailure }

        if let bad = map.firstIndex(where: { $0 < -1 || Int64($0) >= count }) {
            throw fill.invalid("map entry \(bad) is \(map[bad]), outside -1..<\(count)")
        }
        if let bad = initial.firstIndex(where: { !$0.isFinite }) {
            throw fill.invalid("initial value \(bad) is not finite")
        }
        return ScalingLayout(strategy: info.name, layerCount: layers, headCount: heads, headDimension: dimension,
                             parameterCount: Int(count), initialValues: initial, map: map,
                             regularisation: try Self.regularisation(regularisation, call: fill))
    }

    private static func regularisation(_ value: seal_regularisation, call: PluginCall) throws(PluginError) -> ScalingRegularisation? {
        let kind: ScalingRegularisation.Kind
        switch value.kind {
        case SEAL_REGULARISATION_NONE: return nil
        case SEAL_REGULARISATION_L2: kind = .l2
        case SEAL_REGULARISATION_L1: kind = .l1
        default: throw call.invalid("unknown regularisation kind \(value.kind)")
        }
        guard value.target.isFinite, value.weight.isFinite, value.weight >= 0 else {
            throw call.invalid("regularisation target \(value.target) and weight \(value.weight) must be finite, the weight non-negative")
        }
        return ScalingRegularisation(kind: kind, target: value.target, weight: value.weight)
    }
}
