import Foundation

/// Reads the ABI 1.1 `fields` sink of a task sample: one JSON object of scalar values.
enum SampleFields {
    /// At most this many fields per sample: they are summaries, not content.
    static let maximumCount = 32

    static func parse(_ bytes: [UInt8], call: PluginCall) throws(PluginError) -> [String: PluginParameterValue] {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D) }) else { return [:] }
        let object: [String: PluginParameterValue]
        do {
            object = try JSONDecoder().decode([String: PluginParameterValue].self, from: Data(bytes))
        } catch {
            throw call.invalid("the sample fields are not one JSON object of numbers, strings and booleans")
        }
        guard object.count <= maximumCount else {
            throw call.invalid("the sample has \(object.count) fields (at most \(maximumCount))")
        }
        for name in object.keys where !DescriptorReader.isValidName(name, allowing: "_") {
            throw call.invalid("the sample field name '\(name)' is not 1-63 characters a-z, 0-9, '_' starting with a letter")
        }
        return object
    }
}
