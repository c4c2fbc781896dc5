/// Typed metadata lookups that fail with a message naming the file and key.
///
/// Model loaders need a handful of required values (`llama.block_count`,
/// `llama.embedding_length`, ...); these helpers turn "missing" and "wrong
/// type" into ``ModelFormatError``s instead of optionals every caller must
/// explain on its own.
extension GGUFFile {
    /// `general.architecture`, e.g. "llama", if present.
    public var architecture: String? {
        metadata["general.architecture"]?.stringValue
    }

    /// The value for `key`, or a ``ModelFormatError/Kind/missingMetadata(key:)`` error.
    public func requiredValue(_ key: String) throws(ModelFormatError) -> GGUFValue {
        guard let value = metadata[key] else { throw ModelFormatError.missingMetadata(key, in: url.path) }
        return value
    }

    /// An integer value of any width.
    public func requiredInt(_ key: String) throws(ModelFormatError) -> Int {
        let value = try requiredValue(key)
        guard let int = value.intValue else { throw wrongType(key, expected: "an integer", found: value) }
        return int
    }

    /// A numeric value of any kind, as `Double`.
    public func requiredDouble(_ key: String) throws(ModelFormatError) -> Double {
        let value = try requiredValue(key)
        guard let double = value.doubleValue else { throw wrongType(key, expected: "a number", found: value) }
        return double
    }

    /// A string value.
    public func requiredString(_ key: String) throws(ModelFormatError) -> String {
        let value = try requiredValue(key)
        guard let string = value.stringValue else { throw wrongType(key, expected: "a string", found: value) }
        return string
    }

    /// An array whose elements are all strings (e.g. `tokenizer.ggml.tokens`).
    public func requiredStringArray(_ key: String) throws(ModelFormatError) -> [String] {
        let value = try requiredValue(key)
        guard let strings = value.stringArray else {
            throw wrongType(key, expected: "an array of strings", found: value)
        }
        return strings
    }

    /// An integer value, `nil` when absent; present with another type is an error.
    public func optionalInt(_ key: String) throws(ModelFormatError) -> Int? {
        guard metadata[key] != nil else { return nil }
        return try requiredInt(key)
    }

    /// A numeric value, `nil` when absent; present with another type is an error.
    public func optionalDouble(_ key: String) throws(ModelFormatError) -> Double? {
        guard metadata[key] != nil else { return nil }
        return try requiredDouble(key)
    }

    private func wrongType(_ key: String, expected: String, found: GGUFValue) -> ModelFormatError {
        ModelFormatError.invalidMetadata(key, "expected \(expected), found a value of type \(found.valueType.name)", in: url.path)
    }
}
