import Foundation
import Testing

@testable import SealFormats

/// Crafted corrupt GGUF files: each must fail at open time with the right
/// kind of error and a message naming the file and the problem.
@Suite("GGUF: corrupt headers are refused with useful messages")
struct GGUFBadFileTests {
    /// A valid header with no tensors and one metadata entry, for prefix tests.
    static func minimalValid() -> RawGGUF {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.stringEntry("general.architecture", "llama")
        return raw
    }

    @Test func minimalFileOpens() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(Self.minimalValid().bytes, to: "ok.gguf")
        let file = try GGUFFile(contentsOf: url)
        #expect(file.architecture == "llama")
        #expect(file.tensors.isEmpty)
    }

    @Test func wrongMagic() throws {
        var raw = RawGGUF()
        raw.raw([0x50, 0x4B, 0x03, 0x04])
        raw.zeros(60)
        try expectGGUFFailure(raw.bytes, mentions: ["50 4B 03 04", "not a model file"]) {
            if case .wrongMagic = $0 { true } else { false }
        }
    }

    @Test func legacyGGJTMagicIsExplained() throws {
        var raw = RawGGUF()
        raw.magic("tjgg")
        raw.zeros(60)
        try expectGGUFFailure(raw.bytes, mentions: ["pre-GGUF"]) {
            if case .wrongMagic = $0 { true } else { false }
        }
    }

    @Test func emptyFile() throws {
        try expectGGUFFailure([], mentions: ["empty"]) { $0 == .emptyFile }
    }

    @Test func magicOnly() throws {
        var raw = RawGGUF()
        raw.magic()
        try expectGGUFFailure(raw.bytes, mentions: ["format version", "truncated"]) {
            $0 == .truncated(needed: 4, at: 4, fileSize: 4, while: "reading the format version")
        }
    }

    @Test func truncatedHeader() throws {
        var raw = RawGGUF()
        raw.magic()
        raw.u32(3)
        raw.u32(0)  // half of the tensor count
        try expectGGUFFailure(raw.bytes, mentions: ["tensor count", "12-byte file"]) {
            if case .truncated(needed: 8, at: 8, fileSize: 12, _) = $0 { true } else { false }
        }
    }

    @Test func truncatedInsideMetadata() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 2)
        raw.stringEntry("general.architecture", "llama")
        raw.string("general.name")
        raw.u32(GGUFValueType.string.rawValue)
        raw.u64(100)
        raw.raw(Array("SmolLM2".utf8))
        try expectGGUFFailure(raw.bytes, mentions: ["'general.name'", "download it again"]) {
            if case .truncated = $0 { true } else { false }
        }
    }

    @Test func absurdStringLength() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.u64(UInt64.max)  // key length
        raw.zeros(64)
        try expectGGUFFailure(raw.bytes, mentions: ["string length is 18446744073709551615"]) {
            if case .truncated = $0 { true } else { false }
        }
    }

    @Test func absurdArrayCount() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.string("tokenizer.ggml.tokens")
        raw.u32(GGUFValueType.array.rawValue)
        raw.u32(GGUFValueType.string.rawValue)
        raw.u64(1 << 60)
        raw.zeros(64)
        try expectGGUFFailure(raw.bytes, mentions: ["array length of 'tokenizer.ggml.tokens'", "1152921504606846976"]) {
            if case .truncated = $0 { true } else { false }
        }
    }

    /// A count that fits in a (sparse, 128 MiB) file but is larger than any real array.
    @Test func oversizedArrayInLargeFile() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.string("general.blob")
        raw.u32(GGUFValueType.array.rawValue)
        raw.u32(GGUFValueType.uint8.rawValue)
        raw.u64(1 << 27)
        let directory = try TemporaryDirectory()
        let url = try directory.write(raw.bytes, to: "sparse.gguf")
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(raw.bytes.count + (1 << 27)))
        try handle.close()
        expectFormatError(naming: url.path, mentions: ["'general.blob'", "134217728 elements"]) {
            if case .invalidMetadata(key: "general.blob", _) = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try GGUFFile(contentsOf: url)
        }
    }

    @Test func absurdTensorAndMetadataCounts() throws {
        var raw = RawGGUF()
        raw.header(tensors: 1 << 50, metadata: 0)
        try expectGGUFFailure(raw.bytes, mentions: ["tensor count"]) {
            if case .truncated = $0 { true } else { false }
        }
        var metadata = RawGGUF()
        metadata.header(tensors: 0, metadata: UInt64.max)
        try expectGGUFFailure(metadata.bytes, mentions: ["metadata entry count"]) {
            if case .truncated = $0 { true } else { false }
        }
    }

    @Test(arguments: [UInt32(1), 99])
    func unsupportedVersion(_ version: UInt32) throws {
        var raw = RawGGUF()
        raw.header(version: version, tensors: 0, metadata: 0)
        try expectGGUFFailure(raw.bytes, mentions: ["GGUF version \(version)", "versions 2 and 3"]) {
            $0 == .unsupportedVersion(Int(version))
        }
    }

    @Test func version2IsRead() throws {
        var raw = Self.minimalValid()
        raw.bytes.replaceSubrange(4..<8, with: [2, 0, 0, 0])
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(contentsOf: try directory.write(raw.bytes, to: "v2.gguf"))
        #expect(file.version == 2)
    }

    @Test func bigEndianFile() throws {
        var raw = RawGGUF()
        raw.magic()
        raw.raw([0, 0, 0, 3])
        raw.zeros(16)
        try expectGGUFFailure(raw.bytes, mentions: ["big-endian"]) { $0 == .bigEndian }
    }

    @Test func unknownMetadataValueType() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.string("general.weird")
        raw.u32(13)
        raw.zeros(8)
        try expectGGUFFailure(raw.bytes, mentions: ["'general.weird'", "unknown value type 13"]) {
            if case .invalidMetadata(key: "general.weird", _) = $0 { true } else { false }
        }
    }

    @Test func duplicateKey() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 2)
        raw.stringEntry("general.name", "a")
        raw.stringEntry("general.name", "b")
        try expectGGUFFailure(raw.bytes, mentions: ["'general.name'", "more than once"]) {
            $0 == .duplicateKey("general.name")
        }
    }

    @Test func deeplyNestedArrays() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.string("nested")
        raw.u32(GGUFValueType.array.rawValue)
        for _ in 0..<20 {
            raw.u32(GGUFValueType.array.rawValue)
            raw.u64(1)
        }
        raw.zeros(32)
        try expectGGUFFailure(raw.bytes, mentions: ["nested more than 8 deep"]) {
            if case .invalidMetadata(key: "nested", _) = $0 { true } else { false }
        }
    }

    @Test func invalidAlignment() throws {
        var raw = RawGGUF()
        raw.header(tensors: 0, metadata: 1)
        raw.string("general.alignment")
        raw.u32(GGUFValueType.uint32.rawValue)
        raw.u32(24)
        try expectGGUFFailure(raw.bytes, mentions: ["'general.alignment'", "power of two"]) {
            if case .invalidMetadata(key: "general.alignment", _) = $0 { true } else { false }
        }
    }

    @Test func missingFileAndDirectory() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("nope.gguf")
        expectFormatError(naming: missing.path, mentions: ["No such file"]) {
            if case .cannotOpen = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try GGUFFile(contentsOf: missing)
        }
        expectFormatError(naming: directory.url.path, mentions: ["directory"]) {
            if case .cannotOpen = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try GGUFFile(contentsOf: directory.url)
        }
    }
}
