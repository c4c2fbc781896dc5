import Yams

/// A YAML mapping checked against the keys a section knows, remembering where
/// each value came from so that any later complaint can name its line.
struct YAMLSection {
    let source: String
    /// Dotted path of this section; empty for the document root.
    let path: String
    private var values: [String: Node] = [:]

    init(_ node: Node, path: String, knownKeys: [String], source: String) throws(ConfigurationError) {
        self.source = source
        self.path = path
        guard case .mapping(let mapping) = node else {
            throw YAMLSection.invalid(node, path: path, expected: "a mapping of keys", source: source)
        }
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw YAMLSection.invalid(keyNode, path: path, expected: "a key name", source: source)
            }
            let key = scalar.string
            guard knownKeys.contains(key) else {
                throw ConfigurationError(
                    source: source, line: keyNode.mark?.line, keyPath: path,
                    reason: .unknownKey(key, suggestion: closestKey(to: key, among: knownKeys)))
            }
            guard values[key] == nil else {
                throw ConfigurationError(
                    source: source, line: keyNode.mark?.line, keyPath: path, reason: .duplicateKey(key))
            }
            values[key] = value
        }
    }

    /// The dotted path of `key` in this section.
    func keyPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// A nested section, or `nil` when the key is absent or explicitly null.
    func section(_ key: String, knownKeys: [String]) throws(ConfigurationError) -> YAMLSection? {
        guard let node = values[key], !node.isNullScalar else { return nil }
        return try YAMLSection(node, path: keyPath(key), knownKeys: knownKeys, source: source)
    }

    /// A string value; `nil` when absent. Null is an error: use `optionalString` where null means something.
    func string(_ key: String, expected: String) throws(ConfigurationError) -> String? {
        guard let node = values[key] else { return nil }
        guard case .scalar(let scalar) = node, !node.isNullScalar else {
            throw invalid(key, node, expected: expected)
        }
        return scalar.string
    }

    /// `.some(nil)` when the key is present and null, `nil` when absent.
    func optionalString(_ key: String, expected: String) throws(ConfigurationError) -> String?? {
        guard let node = values[key] else { return nil }
        if node.isNullScalar { return .some(nil) }
        return .some(try string(key, expected: expected))
    }

    /// An integer within the bounds ``SealdConfiguration/integerBounds`` lists for this key;
    /// `nil` when absent. `expected` says what the number means ("a thread count").
    func integer(_ key: String, expected: String) throws(ConfigurationError) -> Int? {
        guard let node = values[key] else { return nil }
        guard let bound = SealdConfiguration.integerBounds[keyPath(key)] else {
            throw ConfigurationError(
                source: source, line: node.mark?.line, keyPath: keyPath(key),
                reason: .invalidValue(expected: "a key with documented bounds (none are defined: a bug in seald)",
                                      got: node.shortDescription))
        }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), bound.range.contains(value) else {
            throw invalid(key, node, expected: "\(expected) in \(bound.text)")
        }
        return value
    }

    /// `true` or `false` (YAML 1.2 spellings only, so `yes` and `on` are errors); `nil` when absent.
    func boolean(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let node = values[key] else { return nil }
        guard case .scalar(let scalar) = node, ["true", "false"].contains(scalar.string.lowercased()),
              scalar.style == .plain || scalar.style == .any else {
            throw invalid(key, node, expected: "true or false")
        }
        return scalar.string.lowercased() == "true"
    }

    /// Like `integer`, but null is allowed and means `.some(nil)`.
    func optionalInteger(_ key: String, expected: String) throws(ConfigurationError) -> Int?? {
        guard let node = values[key] else { return nil }
        if node.isNullScalar { return .some(nil) }
        return .some(try integer(key, expected: expected))
    }

    /// A list of strings; `nil` when absent.
    func strings(_ key: String, expected: String) throws(ConfigurationError) -> [(value: String, node: Node)]? {
        guard let node = values[key] else { return nil }
        guard case .sequence(let sequence) = node else {
            throw invalid(key, node, expected: "a list of \(expected)")
        }
        var result: [(value: String, node: Node)] = []
        for item in sequence {
            guard case .scalar(let scalar) = item, !item.isNullScalar else {
                throw invalid(key, item, expected: expected)
            }
            result.append((scalar.string, item))
        }
        return result
    }

    /// The node stored under `key`, for a check the section cannot express.
    func node(_ key: String) -> Node? {
        values[key]
    }

    /// An `invalidValue` error for the value under `key`, pointing at `node`'s line.
    func invalid(_ key: String, _ node: Node, expected: String) -> ConfigurationError {
        YAMLSection.invalid(node, path: keyPath(key), expected: expected, source: source)
    }

    static func invalid(_ node: Node, path: String, expected: String, source: String) -> ConfigurationError {
        ConfigurationError(
            source: source, line: node.mark?.line, keyPath: path,
            reason: .invalidValue(expected: expected, got: node.shortDescription))
    }
}

extension Node {
    /// A plain `~`, `null` or empty scalar: YAML's null, whatever the resolver thinks.
    var isNullScalar: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a value is quoted back in an error message: numbers bare, text in quotes.
    var shortDescription: String {
        switch self {
        case .scalar(let scalar):
            if isNullScalar { return "null" }
            let text = scalar.string
            if scalar.style == .plain, Double(text) != nil { return text }
            return "\"\(text)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// The known key nearest to a misspelt one, if it is near enough to be a typo.
func closestKey(to key: String, among candidates: [String]) -> String? {
    var best: (key: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(key.lowercased(), candidate)
        if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    guard let best, best.distance <= max(2, key.count / 3) else { return nil }
    return best.key
}

/// Levenshtein distance with adjacent transpositions counted as one edit ("sokcet" → "socket").
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}
