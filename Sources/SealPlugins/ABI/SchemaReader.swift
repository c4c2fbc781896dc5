import SealPluginABI

extension DescriptorReader {
    /// Reads and checks the parameter schema: names, types, defaults and bounds.
    ///
    /// The array is walked with the stride the plugin declares (`parameters[0].struct_size`),
    /// so a plugin built with a later minor version, whose entries are larger, reads correctly.
    func readParameters(_ descriptor: seal_plugin_descriptor, plugin: String) throws(PluginLoadError) -> [PluginParameter] {
        let count = Int(descriptor.parameter_count)
        guard count > 0 else { return [] }
        guard count <= Self.maximumParameterCount else {
            throw schemaError(plugin, "declares \(count) parameters (at most \(Self.maximumParameterCount)); the descriptor is probably corrupt")
        }
        guard let base = descriptor.parameters.map(UnsafeRawPointer.init) else {
            throw schemaError(plugin, "declares \(count) parameters but its parameter array is NULL")
        }
        let stride = CLayout.declaredSize(at: base)
        guard stride >= CLayout.Minimum.parameter else {
            throw schemaError(plugin, "parameter 0 has struct_size \(stride), smaller than the \(CLayout.Minimum.parameter) bytes of ABI 1.0")
        }
        var result: [PluginParameter] = []
        var seen = Set<String>()
        for index in 0..<count {
            let pointer = base + index * stride
            let size = CLayout.declaredSize(at: pointer)
            guard size == stride else {
                throw schemaError(plugin, "parameter \(index) has struct_size \(size) but parameter 0 has \(stride); all entries must use the same struct")
            }
            var entry = seal_param_schema()
            CLayout.copyPrefix(from: pointer, size: size, into: &entry)
            let parameter = try readParameter(entry, index: index, plugin: plugin)
            guard seen.insert(parameter.name).inserted else {
                throw schemaError(plugin, "parameter '\(parameter.name)' is declared twice")
            }
            result.append(parameter)
        }
        return result
    }

    private func readParameter(_ entry: seal_param_schema, index: Int, plugin: String) throws(PluginLoadError) -> PluginParameter {
        guard let name = CLayout.string(entry.name), Self.isValidName(name, allowing: "_") else {
            throw schemaError(plugin, "parameter \(index) has a NULL or invalid name (use 1-63 characters a-z, 0-9, '_', starting with a letter)")
        }
        func problem(_ text: String) -> PluginLoadError { schemaError(plugin, "parameter '\(name)' \(text)") }
        guard let type = Self.parameterType(entry.type) else {
            throw problem("has unknown type \(entry.type) (known: \(SEAL_PARAM_INT) int, \(SEAL_PARAM_FLOAT) float, \(SEAL_PARAM_STRING) string, \(SEAL_PARAM_BOOL) bool)")
        }
        guard entry.default_value.type == entry.type else {
            throw problem("is \(type.rawValue) but its default value has type \(entry.default_value.type)")
        }
        let description = CLayout.string(entry.description) ?? ""
        let hasMinimum = entry.flags & SEAL_PARAM_HAS_MIN != 0
        let hasMaximum = entry.flags & SEAL_PARAM_HAS_MAX != 0
        let defaultValue: PluginParameterValue
        switch type {
        case .int:
            defaultValue = .int(entry.default_value.integer)
        case .float:
            guard entry.default_value.number.isFinite else { throw problem("has a non-finite default") }
            defaultValue = .float(entry.default_value.number)
        case .string:
            guard let text = CLayout.string(entry.default_value.string) else {
                throw problem("has a NULL or non-UTF-8 default string (use \"\" for empty)")
            }
            defaultValue = .string(text)
        case .bool:
            guard entry.default_value.boolean == 0 || entry.default_value.boolean == 1 else {
                throw problem("has a boolean default of \(entry.default_value.boolean) (use 0 or 1)")
            }
            defaultValue = .bool(entry.default_value.boolean == 1)
        }
        let exclusiveMinimum = entry.flags & SEAL_PARAM_MIN_EXCLUSIVE != 0
        let exclusiveMaximum = entry.flags & SEAL_PARAM_MAX_EXCLUSIVE != 0
        guard (!exclusiveMinimum || hasMinimum), (!exclusiveMaximum || hasMaximum) else {
            throw problem("marks a bound exclusive without declaring it (set SEAL_PARAM_HAS_MIN / SEAL_PARAM_HAS_MAX too)")
        }
        let allowed = try readAllowedValues(entry, type: type, problem: problem)
        if let allowed, case .string(let text) = defaultValue, !allowed.contains(text) {
            throw problem("has default \"\(text)\", which is not among its allowed values (\(allowed.joined(separator: ", ")))")
        }
        let minimum = hasMinimum ? entry.minimum : nil
        let maximum = hasMaximum ? entry.maximum : nil
        if type == .string || type == .bool {
            guard minimum == nil, maximum == nil else { throw problem("is \(type.rawValue) but declares bounds") }
        }
        for bound in [minimum, maximum].compactMap({ $0 }) where !bound.isFinite {
            throw problem("has a non-finite bound")
        }
        if let minimum, let maximum, minimum > maximum {
            throw problem("has minimum \(minimum) above maximum \(maximum)")
        }
        let parameter = PluginParameter(name: name, type: type, defaultValue: defaultValue, minimum: minimum,
                                        maximum: maximum, description: description, allowedValues: allowed,
                                        exclusiveMinimum: exclusiveMinimum, exclusiveMaximum: exclusiveMaximum)
        if let value = defaultValue.numericValue, !parameter.admits(value) {
            throw problem("has default \(defaultValue) outside its own bounds")
        }
        return parameter
    }

    /// The 1.1 list of allowed string values, when the plugin declares the field and a list.
    private func readAllowedValues(_ entry: seal_param_schema, type: PluginParameterType,
                                   problem: (String) -> PluginLoadError) throws(PluginLoadError) -> [String]? {
        guard Int(entry.struct_size) >= CLayout.end(of: \seal_param_schema.allowed_value_count),
              entry.allowed_value_count > 0 else { return nil }
        guard type == .string else { throw problem("is \(type.rawValue) but declares allowed values (strings only)") }
        let count = Int(entry.allowed_value_count)
        guard count <= Self.maximumAllowedValues else {
            throw problem("declares \(count) allowed values (at most \(Self.maximumAllowedValues))")
        }
        guard let list = entry.allowed_values else { throw problem("declares \(count) allowed values but the array is NULL") }
        var values: [String] = []
        for index in 0..<count {
            guard let text = CLayout.string(list[index]), (1...63).contains(text.utf8.count) else {
                throw problem("has allowed value \(index) NULL, empty, longer than 63 bytes or not UTF-8")
            }
            guard !values.contains(text) else { throw problem("lists the allowed value \"\(text)\" twice") }
            values.append(text)
        }
        return values
    }

    static let maximumAllowedValues = 64

    static func parameterType(_ value: seal_param_type) -> PluginParameterType? {
        switch value {
        case SEAL_PARAM_INT: .int
        case SEAL_PARAM_FLOAT: .float
        case SEAL_PARAM_STRING: .string
        case SEAL_PARAM_BOOL: .bool
        default: nil
        }
    }

    private func schemaError(_ plugin: String, _ text: String) -> PluginLoadError {
        PluginLoadError(path: path, message: "plugin '\(plugin)' has a malformed parameter schema: \(text)")
    }
}
