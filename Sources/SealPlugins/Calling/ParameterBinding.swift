import Foundation
import SealPluginABI

/// Checks caller-supplied parameter values against a plugin's schema.
///
/// Plugins receive every declared parameter, in schema order, with defaults filled in
/// and types and bounds already checked, so plugin code never parses or validates.
struct ParameterBinding {
    let plugin: String
    let schema: [PluginParameter]

    /// One value per schema entry, in schema order.
    func resolve(_ given: [String: PluginParameterValue]) throws(PluginError) -> [PluginParameterValue] {
        let known = Set(schema.map(\.name))
        for name in given.keys.sorted() where !known.contains(name) {
            throw PluginError.unknownParameter(plugin: plugin, parameter: name, known: schema.map(\.name))
        }
        var values: [PluginParameterValue] = []
        values.reserveCapacity(schema.count)
        for parameter in schema {
            guard let value = given[parameter.name] else {
                values.append(parameter.defaultValue)
                continue
            }
            values.append(try check(value, against: parameter))
        }
        return values
    }

    /// Coerces what JSON and YAML blur (an integral number for an int, any number for a
    /// float) and refuses the rest.
    private func check(_ value: PluginParameterValue, against parameter: PluginParameter) throws(PluginError) -> PluginParameterValue {
        let wrongType = PluginError.wrongParameterType(plugin: plugin, parameter: parameter.name,
                                                       expected: parameter.type, given: value)
        let coerced: PluginParameterValue
        switch (parameter.type, value) {
        case (.int, .int), (.float, .float), (.string, .string), (.bool, .bool):
            coerced = value
        case (.float, .int(let integer)):
            coerced = .float(Double(integer))
        case (.int, .float(let number)):
            guard number.isFinite, number == number.rounded(), let integer = Int64(exactly: number) else { throw wrongType }
            coerced = .int(integer)
        default:
            throw wrongType
        }
        if case .string(let text) = coerced, text.utf8.contains(0) {
            throw PluginError.invalidRequest(plugin: plugin, reason: "parameter '\(parameter.name)' contains a NUL character")
        }
        if case .string(let text) = coerced, let allowed = parameter.allowedValues, !allowed.contains(text) {
            throw PluginError.parameterRefused(plugin: plugin, parameter: parameter.name, given: value,
                                               rule: "must be one of: \(allowed.joined(separator: ", "))")
        }
        if let number = coerced.numericValue, !parameter.admits(number) {
            guard parameter.exclusiveMinimum || parameter.exclusiveMaximum else {
                throw PluginError.parameterOutOfRange(plugin: plugin, parameter: parameter.name, given: value,
                                                      minimum: parameter.minimum, maximum: parameter.maximum)
            }
            throw PluginError.parameterRefused(plugin: plugin, parameter: parameter.name, given: value,
                                               rule: "must be \(parameter.boundsText)")
        }
        return coerced
    }
}

/// Resolved parameter values laid out as the C ABI's `seal_value` array.
///
/// String values are copied into C memory owned by this object, valid until it is
/// released; callers keep it alive across the plugin call with `withValues`.
final class CParameterValues {
    private var values: [seal_value]
    private var strings: [UnsafeMutableBufferPointer<CChar>] = []

    init(_ resolved: [PluginParameterValue]) {
        values = []
        values.reserveCapacity(resolved.count)
        for value in resolved {
            var c = seal_value()
            switch value {
            case .int(let integer):
                c.type = SEAL_PARAM_INT
                c.integer = integer
            case .float(let number):
                c.type = SEAL_PARAM_FLOAT
                c.number = number
            case .bool(let flag):
                c.type = SEAL_PARAM_BOOL
                c.boolean = flag ? 1 : 0
            case .string(let text):
                c.type = SEAL_PARAM_STRING
                let bytes = text.utf8CString
                let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count)
                _ = copy.initialize(from: bytes)
                strings.append(copy)
                c.string = UnsafePointer(copy.baseAddress)
            }
            values.append(c)
        }
    }

    deinit {
        for string in strings { string.deallocate() }
    }

    /// Calls `body` with the array (NULL when there are no parameters) and its count.
    func withValues<Result>(_ body: (UnsafePointer<seal_value>?, UInt32) -> Result) -> Result {
        values.withUnsafeBufferPointer { buffer in
            body(buffer.isEmpty ? nil : buffer.baseAddress, UInt32(buffer.count))
        }
    }
}
