/// Unix permission bits, written in octal in the configuration (`"0660"`).
///
/// A distinct type so that the mode is never confused with a decimal number:
/// it encodes as the octal string people write in `chmod`.
public struct FileMode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The permission bits, at most `0o7777`.
    public var rawValue: UInt32

    /// Creates a mode from its bits, e.g. `FileMode(0o660)`.
    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Parses an octal string such as `"0660"` or `"660"`; `nil` if it is not octal or above `07777`.
    public init?(octal text: String) {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ ("0"..."7").contains($0) }),
              let value = UInt32(text, radix: 8), value <= 0o7777
        else { return nil }
        self.rawValue = value
    }

    /// The four-digit octal spelling, e.g. `0660`.
    public var description: String {
        let digits = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let mode = FileMode(octal: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an octal mode such as \"0660\", got \"\(text)\"")
        }
        self = mode
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Log levels, the same names and order as swift-log's `Logger.Level`
/// (SealConfig does not depend on swift-log: map with `Logger.Level(rawValue:)`).
public enum LogLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case trace, debug, info, notice, warning, error, critical

    /// Position in `allCases`: trace is the most verbose, critical the least.
    private var rank: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .notice: 3
        case .warning: 4
        case .error: 5
        case .critical: 6
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rank < rhs.rank
    }
}
