/// Why a configuration file was rejected, and where.
///
/// The description is one line in the compiler style that editors and humans
/// both understand: `seald.yaml:7: limits.max_concurrent_generations: expected an
/// integer in 1...256 generations, got "two"`. The daemon prints it and exits non-zero, so a
/// typo never silently falls back to a default.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong.
    public enum Reason: Sendable, Equatable {
        /// The file could not be read (missing, permissions, not UTF-8).
        case unreadable(String)
        /// The text is not well-formed YAML.
        case syntax(String)
        /// A key that the configuration does not have; `suggestion` is the closest known key.
        case unknownKey(String, suggestion: String?)
        /// The same key twice in one mapping.
        case duplicateKey(String)
        /// A value of the wrong kind or out of range.
        case invalidValue(expected: String, got: String)
    }

    /// The file name (or other source label) given to the parser.
    public var source: String
    /// 1-based line of the offending node; `nil` when not tied to a line (unreadable file).
    public var line: Int?
    /// Dotted path of the offending key, e.g. `limits.max_request_bytes`; empty at the top level.
    public var keyPath: String
    /// What is wrong.
    public var reason: Reason

    public init(source: String, line: Int?, keyPath: String, reason: Reason) {
        self.source = source
        self.line = line
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        switch reason {
        case .unreadable(let why):
            text += "cannot read the configuration: \(why)"
        case .syntax(let problem):
            text += "invalid YAML: \(problem)"
        case .unknownKey(let key, let suggestion):
            text += "unknown key '\(key)'"
            if !keyPath.isEmpty { text += " in '\(keyPath)'" }
            if let suggestion { text += " (did you mean '\(suggestion)'?)" }
        case .duplicateKey(let key):
            text += "key '\(key)' appears more than once"
            if !keyPath.isEmpty { text += " in '\(keyPath)'" }
        case .invalidValue(let expected, let got):
            if !keyPath.isEmpty { text += "\(keyPath): " }
            text += "expected \(expected), got \(got)"
        }
        return text
    }
}
