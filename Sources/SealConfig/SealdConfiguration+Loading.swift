import Foundation
import Yams

extension SealdConfiguration {
    /// Reads and validates a configuration file.
    ///
    /// Errors carry the file's path, so the daemon can print them as they are.
    public static func load(from url: URL) throws(ConfigurationError) -> SealdConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let why = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw ConfigurationError(source: url.path, line: nil, keyPath: "", reason: .unreadable(why))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(source: url.path, line: nil, keyPath: "", reason: .unreadable("not UTF-8 text"))
        }
        return try parse(yaml: text, source: url.path)
    }

    /// Parses and validates configuration text. Missing keys keep their defaults;
    /// unknown keys and bad values are errors.
    ///
    /// - Parameter source: the name errors start with, usually the file's path.
    public static func parse(yaml: String, source: String) throws(ConfigurationError) -> SealdConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigurationError(yamlError: error, source: source, text: yaml)
        } catch {
            throw ConfigurationError(source: source, line: nil, keyPath: "", reason: .syntax("\(error)"))
        }
        var configuration = SealdConfiguration()
        guard let root, !root.isNullScalar else { return configuration }
        let top = try YAMLSection(
            root, path: "", knownKeys: CodingKeys.allCases.map(\.rawValue), source: source)
        if let section = try top.section("socket", knownKeys: Socket.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.socket.read(section)
        }
        if let section = try top.section("model", knownKeys: Model.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.model.read(section)
        }
        if let section = try top.section("plugins", knownKeys: Plugins.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.plugins.read(section)
        }
        if let path = try top.absolutePath(CodingKeys.stateDirectory.rawValue) {
            configuration.stateDirectory = path
        }
        if let section = try top.section("limits", knownKeys: Limits.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.limits.read(section)
        }
        if let section = try top.section("server", knownKeys: Server.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.server.read(section)
        }
        if let section = try top.section("log", knownKeys: Log.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.log.read(section)
        }
        if let section = try top.section("access", knownKeys: Access.CodingKeys.allCases.map(\.rawValue)) {
            try configuration.access.read(section)
        }
        return configuration
    }
}

extension SealdConfiguration.Socket {
    /// Longest path a `sockaddr_un` holds (108 bytes with the terminating NUL on Linux).
    static let maximumPathBytes = 107

    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        if let path = try section.absolutePath("path") {
            guard path.utf8.count <= Self.maximumPathBytes else {
                throw section.invalid(
                    "path", section.node("path") ?? Node(path),
                    expected: "a socket path of at most \(Self.maximumPathBytes) bytes")
            }
            self.path = path
        }
        if let text = try section.string("mode", expected: "an octal mode such as \"0660\"") {
            guard let mode = FileMode(octal: text), mode.rawValue <= 0o777 else {
                throw section.invalid(
                    "mode", section.node("mode") ?? Node(text), expected: "an octal mode such as \"0660\"")
            }
            self.mode = mode
        }
        if let group = try section.optionalString("group", expected: "a group name or gid") {
            if let group { try section.checkGroupName(group, key: "group") }
            self.group = group
        }
    }
}

extension SealdConfiguration.Model {
    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        if let path = try section.optionalString("path", expected: "an absolute path or null") {
            if let path { try section.checkAbsolute(path, key: "path") }
            self.path = path
        }
        if let threads = try section.integer("threads", expected: "a thread count (0 = OpenBLAS default)") {
            self.threads = threads
        }
        if let length = try section.optionalInteger("context_length", expected: "null or an integer") {
            self.contextLength = length
        }
        if let scaleSet = try section.optionalString("scale_set", expected: "a scale-set id (sc-...) or null") {
            if let scaleSet, let node = section.node("scale_set"),
               scaleSet.isEmpty || scaleSet.count > 128 || !scaleSet.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                throw section.invalid("scale_set", node, expected: "a scale-set id such as sc-0123456789")
            }
            self.scaleSet = scaleSet
        }
        let storages = "one of " + Weights.allCases.map(\.rawValue).joined(separator: ", ")
        if let value = try section.string("weights", expected: storages), let node = section.node("weights") {
            guard let weights = Weights(rawValue: value) else { throw section.invalid("weights", node, expected: storages) }
            self.weights = weights
        }
        let caches = "one of " + KVCache.allCases.map(\.rawValue).joined(separator: ", ")
        if let value = try section.string("kv_cache", expected: caches), let node = section.node("kv_cache") {
            guard let cache = KVCache(rawValue: value) else { throw section.invalid("kv_cache", node, expected: caches) }
            self.kvCache = cache
        }
        if let value = try section.boolean("special_tokens_in_messages") {
            specialTokensInMessages = value
        }
        if let node = section.node("context_extension") {
            contextExtension = node.isNullScalar ? nil : try ContextExtensionDefault(
                section: YAMLSection(node, path: section.keyPath("context_extension"),
                                     knownKeys: ContextExtensionDefault.CodingKeys.allCases.map(\.rawValue),
                                     source: section.source))
        }
    }
}

extension SealdConfiguration.Plugins {
    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        if let items = try section.strings("directories", expected: "absolute paths") {
            for item in items where !item.value.hasPrefix("/") {
                throw section.invalid("directories", item.node, expected: "an absolute path")
            }
            self.directories = items.map(\.value)
        }
    }
}

extension SealdConfiguration.Limits {
    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        let anInteger = "an integer"  // the bounds (integerBounds) say which ones
        if let value = try section.integer("max_concurrent_generations", expected: anInteger) {
            maxConcurrentGenerations = value
        }
        if let value = try section.integer(
            "max_queued_generations", expected: "an integer (0 = no queue)")
        {
            maxQueuedGenerations = value
        }
        if let value = try section.integer("max_concurrent_jobs", expected: anInteger) {
            maxConcurrentJobs = value
        }
        if let value = try section.integer("max_request_bytes", expected: anInteger) {
            maxRequestBytes = value
        }
        if let value = try section.optionalInteger("max_prompt_tokens", expected: "null or an integer") {
            maxPromptTokens = value
        }
        if let value = try section.integer("request_timeout_seconds", expected: anInteger) {
            requestTimeoutSeconds = value
        }
        if let value = try section.optionalInteger("memory_budget_mb", expected: "null or an integer") {
            memoryBudgetMB = value
        }
    }
}

extension SealdConfiguration.Log {
    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        let names = LogLevel.allCases.map(\.rawValue).joined(separator: ", ")
        if let text = try section.string("level", expected: "one of \(names)") {
            guard let level = LogLevel(rawValue: text.lowercased()) else {
                throw section.invalid("level", section.node("level") ?? Node(text), expected: "one of \(names)")
            }
            self.level = level
        }
    }
}

extension SealdConfiguration.Access {
    mutating func read(_ section: YAMLSection) throws(ConfigurationError) {
        if let group = try section.optionalString("admin_group", expected: "a group name or gid") {
            if let group { try section.checkGroupName(group, key: "admin_group") }
            adminGroup = group
        }
        if let group = try section.optionalString("read_group", expected: "a group name or gid") {
            if let group { try section.checkGroupName(group, key: "read_group") }
            readGroup = group
        }
    }
}

extension YAMLSection {
    /// A string that must be an absolute path; `nil` when absent.
    func absolutePath(_ key: String) throws(ConfigurationError) -> String? {
        guard let path = try string(key, expected: "an absolute path") else { return nil }
        try checkAbsolute(path, key: key)
        return path
    }

    func checkAbsolute(_ path: String, key: String) throws(ConfigurationError) {
        guard path.hasPrefix("/"), !path.contains("\0") else {
            throw invalid(key, node(key) ?? Node(path), expected: "an absolute path")
        }
    }

    /// Group names as `useradd` accepts them, or a numeric gid.
    func checkGroupName(_ name: String, key: String) throws(ConfigurationError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.$".unicodeScalars.contains($0)) && $0.isASCII
        }
        guard !name.isEmpty, name.count <= 32, allowed, !name.hasPrefix("-") else {
            throw invalid(key, node(key) ?? Node(name), expected: "a group name or gid")
        }
    }
}

extension ConfigurationError {
    /// Turns a Yams error into one line with the file and line number.
    init(yamlError: YamlError, source: String, text: String) {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            self.init(source: source, line: mark.line, keyPath: "", reason: .syntax(problem))
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first occurrence; the mistake is usually the repeat, so point there.
            let key = duplicates.first ?? ""
            let line = Self.repeatedKeyLine(key, after: context.mark, in: text) ?? context.mark.line
            self.init(source: source, line: line, keyPath: "", reason: .duplicateKey(duplicates.joined(separator: ", ")))
        case .reader(let problem, _, _, _):
            self.init(source: source, line: nil, keyPath: "", reason: .syntax(problem))
        default:
            self.init(source: source, line: nil, keyPath: "", reason: .syntax("\(yamlError)"))
        }
    }

    /// The line of the next `key:` at the same indentation as `first`, if any.
    static func repeatedKeyLine(_ key: String, after first: Mark, in text: String) -> Int? {
        let indent = String(repeating: " ", count: max(0, first.column - 1))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line < lines.count else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            guard line.hasPrefix(indent), !line.dropFirst(indent.count).hasPrefix(" ") else { continue }
            let rest = line.dropFirst(indent.count)
            if rest.hasPrefix("\(key):") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return index + 1
            }
        }
        return nil
    }
}
