@testable import SealFormats

/// Writes GGUF bytes field by field, so tests can craft files that
/// ``GGUFWriter`` would refuse to produce (bad counts, types, offsets).
struct RawGGUF {
    var bytes: [UInt8] = []

    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }
    mutating func magic(_ text: String = "GGUF") { bytes.append(contentsOf: Array(text.utf8)) }
    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u32(_ value: UInt32) { appendLittleEndian(value, to: &bytes) }
    mutating func u64(_ value: UInt64) { appendLittleEndian(value, to: &bytes) }
    mutating func string(_ text: String) {
        u64(UInt64(text.utf8.count))
        bytes.append(contentsOf: Array(text.utf8))
    }

    /// Magic, version and the two counts.
    mutating func header(version: UInt32 = 3, tensors: UInt64, metadata: UInt64) {
        magic()
        u32(version)
        u64(tensors)
        u64(metadata)
    }

    /// A string-valued metadata entry.
    mutating func stringEntry(_ key: String, _ value: String) {
        string(key)
        u32(GGUFValueType.string.rawValue)
        string(value)
    }

    /// A tensor directory entry; `dimensions` in ggml order.
    mutating func tensor(_ name: String, dimensions: [UInt64], type: UInt32 = 0, offset: UInt64 = 0) {
        string(name)
        u32(UInt32(dimensions.count))
        for dimension in dimensions { u64(dimension) }
        u32(type)
        u64(offset)
    }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// `count` zero bytes.
    mutating func zeros(_ count: Int) {
        bytes.append(contentsOf: repeatElement(0, count: count))
    }
}
