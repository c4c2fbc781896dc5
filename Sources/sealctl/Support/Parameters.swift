import ArgumentParser
import Foundation
import SealAPI

/// `key=value` plugin parameters from the command line, typed the way a person means them:
/// `true`/`false` are booleans, numbers are numbers, `[..]`/`{..}` are JSON, `null` is null,
/// anything else (or a value in quotes) is a string.
enum Parameters {
    static func parse(_ pairs: [String], option: String) throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("\(option) expects key=value, got '\(pair)'")
            }
            let key = String(pair[..<equals])
            guard result[key] == nil else { throw ValidationError("\(option) '\(key)' is given twice") }
            result[key] = value(String(pair[pair.index(after: equals)...]))
        }
        return result
    }

    static func value(_ text: String) -> JSONValue {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if let number = Double(text), number.isFinite, text.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true {
            return .number(number)
        }
        if let first = text.first, first == "[" || first == "{" || first == "\"",
           let json = try? APIJSON.decode(JSONValue.self, from: Data(text.utf8)) {
            return json
        }
        return .string(text)
    }

    /// The context-extension choice of `--extension` and `--extension-param`.
    static func contextExtension(plugin: String?, pairs: [String]) throws -> ContextExtensionChoice? {
        guard let plugin else {
            if !pairs.isEmpty { throw ValidationError("--extension-param needs --extension PLUGIN") }
            return nil
        }
        return ContextExtensionChoice(plugin: plugin, parameters: try parse(pairs, option: "--extension-param"))
    }
}
