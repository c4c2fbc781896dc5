import Foundation

/// A JSON object from `JSONSerialization` with typed, error-reporting accessors.
///
/// tokenizer.json files are large (megabytes of vocabulary and merges) and
/// loosely typed (merges as strings or pairs, tokens as strings or objects), so
/// they are read as untyped Foundation values rather than through `Codable`.
struct JSONObject {
    let dictionary: [String: Any]
    /// The file this came from, for error messages.
    let path: String

    init(_ dictionary: [String: Any], path: String) {
        self.dictionary = dictionary
        self.path = path
    }

    static func load(_ url: URL) throws(TokenizerError) -> JSONObject {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(.invalidTokenizerJSON(path: url.path, reason: "cannot read file: \(error)"))
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError(.invalidTokenizerJSON(path: url.path, reason: "not valid JSON: \(error)"))
        }
        guard let dictionary = value as? [String: Any] else {
            throw TokenizerError(.invalidTokenizerJSON(path: url.path, reason: "the top level is not an object"))
        }
        return JSONObject(dictionary, path: url.path)
    }

    func invalid(_ reason: String) -> TokenizerError {
        TokenizerError(.invalidTokenizerJSON(path: path, reason: reason))
    }

    func object(_ key: String) throws(TokenizerError) -> JSONObject {
        guard let value = dictionary[key] else { throw TokenizerError(.missingKey(key)) }
        guard let object = value as? [String: Any] else { throw invalid("'\(key)' is not an object") }
        return JSONObject(object, path: path)
    }

    /// A nested object, or `nil` when absent or JSON `null`.
    func optionalObject(_ key: String) throws(TokenizerError) -> JSONObject? {
        guard let value = dictionary[key], !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw invalid("'\(key)' is not an object") }
        return JSONObject(object, path: path)
    }

    func objects(_ key: String) throws(TokenizerError) -> [JSONObject] {
        guard let list = dictionary[key] as? [Any] else { throw invalid("'\(key)' is not an array") }
        var out: [JSONObject] = []
        for element in list {
            guard let object = element as? [String: Any] else { throw invalid("'\(key)' holds a non-object") }
            out.append(JSONObject(object, path: path))
        }
        return out
    }

    func optionalString(_ key: String) throws(TokenizerError) -> String? {
        guard let value = dictionary[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw invalid("'\(key)' is not a string") }
        return string
    }

    func string(_ key: String) throws(TokenizerError) -> String {
        guard let value = try optionalString(key) else { throw invalid("'\(key)' is missing") }
        return value
    }

    func optionalBool(_ key: String) throws(TokenizerError) -> Bool? {
        guard let value = dictionary[key], !(value is NSNull) else { return nil }
        guard let bool = Self.bool(value) else { throw invalid("'\(key)' is not a boolean") }
        return bool
    }

    func optionalDouble(_ key: String) throws(TokenizerError) -> Double? {
        guard let value = dictionary[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber else { throw invalid("'\(key)' is not a number") }
        return number.doubleValue
    }

    func optionalInt(_ key: String) throws(TokenizerError) -> Int? {
        guard let value = dictionary[key], !(value is NSNull) else { return nil }
        guard let int = Self.int(value) else { throw invalid("'\(key)' is not an integer") }
        return int
    }

    /// A token in tokenizer_config.json: a plain string or `{"content": ...}`.
    func tokenSpelling(_ key: String) throws(TokenizerError) -> String? {
        guard let value = dictionary[key], !(value is NSNull) else { return nil }
        if let string = value as? String { return string }
        if let object = value as? [String: Any], let content = object["content"] as? String { return content }
        throw invalid("'\(key)' is neither a string nor an object with 'content'")
    }

    /// `chat_template`: a string, or a list of `{name, template}` (the "default" one).
    func chatTemplate() throws(TokenizerError) -> String? {
        guard let value = dictionary["chat_template"], !(value is NSNull) else { return nil }
        if let string = value as? String { return string }
        if let list = value as? [Any] {
            let named = list.compactMap { $0 as? [String: Any] }
            let chosen = named.first { $0["name"] as? String == "default" } ?? named.first
            return chosen?["template"] as? String
        }
        throw invalid("'chat_template' is neither a string nor a list of templates")
    }

    static func int(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 1e15 else { return nil }
        return number.intValue
    }

    static func bool(_ value: Any) -> Bool? {
        value as? Bool
    }
}
