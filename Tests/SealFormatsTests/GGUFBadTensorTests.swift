import Foundation
import Testing

@testable import SealFormats

/// Crafted tensor directories: bad dimensions, types, offsets and names must
/// fail at open time, naming the file and the tensor.
@Suite("GGUF: corrupt tensor directories are refused with useful messages")
struct GGUFBadTensorTests {
    /// A file with one tensor entry and `dataBytes` bytes of aligned data.
    static func oneTensor(
        _ name: String = "blk.0.attn_q.weight", dimensions: [UInt64], type: UInt32 = 0,
        offset: UInt64 = 0, dataBytes: Int
    ) -> [UInt8] {
        var raw = RawGGUF()
        raw.header(tensors: 1, metadata: 0)
        raw.tensor(name, dimensions: dimensions, type: type, offset: offset)
        raw.pad()
        raw.zeros(dataBytes)
        return raw.bytes
    }

    @Test func tensorDataBeyondEndOfFile() throws {
        let bytes = Self.oneTensor(dimensions: [32, 4], dataBytes: 100)
        let error = try expectGGUFFailure(
            bytes, mentions: ["'blk.0.attn_q.weight'", "extends past the end", "download it again"]
        ) {
            if case .tensorOutOfBounds(name: "blk.0.attn_q.weight", start: 96, end: 608, fileSize: 196) = $0 {
                true
            } else { false }
        }
        #expect(error?.description.contains("bytes 96..608 of a 196-byte file") == true)
    }

    @Test func tensorOffsetOverflows() throws {
        let bytes = Self.oneTensor(dimensions: [8], offset: UInt64.max - 31, dataBytes: 32)
        try expectGGUFFailure(bytes, mentions: ["extends past the end"]) {
            if case .tensorOutOfBounds = $0 { true } else { false }
        }
    }

    @Test func zeroDimension() throws {
        try expectGGUFFailure(Self.oneTensor(dimensions: [32, 0], dataBytes: 0), mentions: ["dimension 1 is zero"]) {
            if case .absurdDimensions(name: "blk.0.attn_q.weight", dimensions: [32, 0], _) = $0 { true } else { false }
        }
    }

    @Test func negativeDimension() throws {
        let negative = UInt64(bitPattern: -576)
        try expectGGUFFailure(
            Self.oneTensor(dimensions: [576, negative], dataBytes: 0), mentions: ["negative number", "corrupt"]
        ) {
            if case .absurdDimensions = $0 { true } else { false }
        }
    }

    @Test func elementCountOverflow() throws {
        try expectGGUFFailure(
            Self.oneTensor(dimensions: [1 << 30, 1 << 30, 1 << 30], dataBytes: 0), mentions: ["element count"]
        ) {
            if case .absurdDimensions = $0 { true } else { false }
        }
    }

    @Test func tooManyDimensions() throws {
        try expectGGUFFailure(
            Self.oneTensor(dimensions: [2, 2, 2, 2, 2], dataBytes: 128), mentions: ["5 dimensions", "at most 4"]
        ) {
            if case .absurdDimensions(name: "blk.0.attn_q.weight", dimensions: [], _) = $0 { true } else { false }
        }
    }

    @Test func unknownTensorType() throws {
        try expectGGUFFailure(
            Self.oneTensor(dimensions: [32], type: 31, dataBytes: 128), mentions: ["unknown GGML type id 31"]
        ) {
            $0 == .unknownTensorType(name: "blk.0.attn_q.weight", rawType: 31)
        }
    }

    @Test func rowNotWholeBlocks() throws {
        let q4_0 = GGMLType.q4_0.rawValue
        try expectGGUFFailure(
            Self.oneTensor(dimensions: [16, 2], type: q4_0, dataBytes: 64), mentions: ["not a multiple", "Q4_0"]
        ) {
            $0 == .rowNotBlockAligned(name: "blk.0.attn_q.weight", rowLength: 16, typeName: "Q4_0", blockElements: 32)
        }
    }

    @Test func misalignedOffset() throws {
        try expectGGUFFailure(Self.oneTensor(dimensions: [8], offset: 4, dataBytes: 64), mentions: ["alignment 32"]) {
            $0 == .misalignedTensor(name: "blk.0.attn_q.weight", offset: 4, alignment: 32)
        }
    }

    @Test func duplicateTensorName() throws {
        var raw = RawGGUF()
        raw.header(tensors: 2, metadata: 0)
        raw.tensor("output.weight", dimensions: [8])
        raw.tensor("output.weight", dimensions: [8], offset: 32)
        raw.pad()
        raw.zeros(64)
        try expectGGUFFailure(raw.bytes, mentions: ["'output.weight'", "more than once"]) {
            $0 == .duplicateTensor("output.weight")
        }
    }
}
