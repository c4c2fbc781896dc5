import Foundation

/// The JSON conventions of the seal API, shared by seald and sealctl:
/// snake_case keys, ISO 8601 dates, sorted keys for stable output.
public enum APIJSON {
    /// The deepest nesting of arrays and objects a decoded text may have. API
    /// bodies need a handful of levels; deeper ones are refused before decoding,
    /// so their cost stays linear in their size.
    public static let maximumDepth = 64

    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Encodes `value` with the API conventions.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(value)
    }

    /// Decodes `type`, turning Foundation's errors into one sentence naming the field.
    ///
    /// - Throws: ``APIDecodingError`` also when `data` nests deeper than ``maximumDepth``.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(APIDecodingError) -> T {
        guard JSONNesting.depth(of: data, stoppingAbove: maximumDepth) <= maximumDepth else {
            throw APIDecodingError(
                message: "the body nests arrays and objects deeper than the limit of \(maximumDepth) levels")
        }
        do {
            return try decoder().decode(type, from: data)
        } catch let error as APIDecodingError {
            throw error
        } catch let DecodingError.typeMismatch(expected, context) {
            throw APIDecodingError(message: "\(path(context)): expected \(describe(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw APIDecodingError(message: "\(path(context)): expected \(describe(expected)), got null")
        } catch let DecodingError.keyNotFound(key, context) {
            let parent = context.codingPath.isEmpty ? "" : path(context) + "."
            throw APIDecodingError(message: "missing required field '\(parent)\(snake(key.stringValue))'")
        } catch let DecodingError.dataCorrupted(context) {
            if context.codingPath.isEmpty {
                throw APIDecodingError(message: "the body is not valid JSON")
            }
            throw APIDecodingError(message: "\(path(context)): \(context.debugDescription)")
        } catch {
            throw APIDecodingError(message: "invalid request body: \(error)")
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        let parts = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? snake(key.stringValue) }
        return parts.isEmpty ? "body" : parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }

    /// camelCase → snake_case, for messages that quote API field names.
    public static func snake(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// A request body that cannot be used, with a message naming the field.
public struct APIDecodingError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A key of any name, to list every key a JSON object holds.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int? = nil
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the JSON object has a key that `keys` does not list: a
    /// misspelt option must be an error, not silently ignored.
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let allowed = Set(Keys.allCases.map(\.stringValue))
        let container = try self.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            let parent = codingPath.map { $0.intValue.map { "[\($0)]" } ?? APIJSON.snake($0.stringValue) }.joined(separator: ".")
            let name = APIJSON.snake(key.stringValue)
            let known = allowed.map(APIJSON.snake).sorted().joined(separator: ", ")
            throw APIDecodingError(message: "unknown field '\(parent.isEmpty ? name : parent + "." + name)' (known fields: \(known))")
        }
    }
}
