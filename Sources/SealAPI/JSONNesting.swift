import Foundation

/// How deeply a JSON text nests arrays and objects, measured in one linear pass
/// over its bytes before any decoding.
///
/// Decoding cost and stack use grow with nesting; no API body needs more than a
/// few levels, so bodies nested deeper than ``APIJSON/maximumDepth`` are refused
/// up front with a message naming the limit, whatever their size.
public enum JSONNesting {
    /// The deepest nesting in `data`, or the first depth beyond `limit` (the scan
    /// stops there). Brackets inside strings do not count; the text is not
    /// otherwise validated (the decoder does that).
    public static func depth(of data: Data, stoppingAbove limit: Int) -> Int {
        data.withUnsafeBytes { depth(of: $0, stoppingAbove: limit) }
    }

    /// ``depth(of:stoppingAbove:)`` over raw bytes.
    public static func depth(of bytes: UnsafeRawBufferPointer, stoppingAbove limit: Int) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > deepest {
                    deepest = depth
                    if deepest > limit { return deepest }
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return deepest
    }
}
