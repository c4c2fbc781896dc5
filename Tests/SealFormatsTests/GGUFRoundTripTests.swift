import Foundation
import Testing

@testable import SealFormats

/// Files written by ``GGUFWriter`` read back identically through ``GGUFFile``.
@Suite("GGUF: writer and reader round trip")
struct GGUFRoundTripTests {
    static let everyKind: [(String, GGUFValue)] = [
        ("t.u8", .uint8(200)),
        ("t.i8", .int8(-100)),
        ("t.u16", .uint16(60000)),
        ("t.i16", .int16(-30000)),
        ("t.u32", .uint32(4_000_000_000)),
        ("t.i32", .int32(-2_000_000_000)),
        ("t.u64", .uint64(UInt64.max)),
        ("t.i64", .int64(Int64.min)),
        ("t.f32", .float32(1e-5)),
        ("t.f64", .float64(-1.0 / 3.0)),
        ("t.bool", .bool(true)),
        ("t.string", .string("héllo ▁wörld 🦭")),
        ("t.empty_string", .string("")),
        ("t.strings", .array([.string("<s>"), .string("</s>"), .string("Ġthe")])),
        ("t.ints", .array([.int32(1), .int32(-2), .int32(3)])),
        ("t.floats", .array([.float32(0.5), .float32(-0.25)])),
        ("t.empty", .array([])),
        ("t.nested", .array([.array([.uint8(1), .uint8(2)]), .array([.uint8(3)])])),
    ]

    @Test func metadataOfEveryKindRoundTrips() throws {
        var writer = GGUFWriter()
        for (key, value) in Self.everyKind {
            writer.addMetadata(key, value)
        }
        writer.addMetadata("t.u8", .uint8(201))  // replaces in place, keeps order
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("meta.gguf")
        try writer.write(to: url)

        let file = try GGUFFile(contentsOf: url)
        #expect(file.version == 3)
        #expect(file.metadataKeys == Self.everyKind.map(\.0))
        #expect(file.metadata["t.u8"] == .uint8(201))
        for (key, value) in Self.everyKind.dropFirst() {
            #expect(file.metadata[key] == value, "\(key)")
        }
        #expect(file.metadata["t.strings"]?.stringArray == ["<s>", "</s>", "Ġthe"])
        #expect(try file.requiredInt("t.i32") == -2_000_000_000)
        #expect(try file.requiredString("t.string") == "héllo ▁wörld 🦭")
        #expect(try file.optionalInt("absent") == nil)
        expectFormatError(naming: url.path, mentions: ["'llama.block_count'", "missing"]) {
            $0 == .missingMetadata(key: "llama.block_count")
        } _: { () throws(ModelFormatError) in
            _ = try file.requiredInt("llama.block_count")
        }
        expectFormatError(naming: url.path, mentions: ["'t.string'", "an integer", "STRING"]) {
            if case .invalidMetadata(key: "t.string", _) = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try file.requiredInt("t.string")
        }
    }

    @Test func heterogeneousArrayIsRefused() throws {
        var writer = GGUFWriter()
        writer.addMetadata("bad", .array([.int32(1), .string("x")]))
        expectFormatError(naming: "(GGUF writer)", mentions: ["'bad'", "single type"]) {
            if case .invalidMetadata(key: "bad", _) = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try writer.serialized()
        }
    }

    @Test(arguments: [32, 64, 4096])
    func tensorsRoundTrip(alignment: Int) throws {
        let matrix = (0..<(3 * 64)).map { Float($0) * 0.125 - 7 }
        let vector: [Float] = [1, -2, 3.5, 65504, -0.0, 1e-7, 0.333, 2]
        var writer = GGUFWriter(alignment: alignment)
        writer.addMetadata("general.architecture", .string("llama"))
        try writer.addTensor("blk.0.attn_q.weight", shape: [3, 64], float32: matrix)
        try writer.addTensor("blk.0.attn_norm.weight", shape: [8], float16: vector)

        // One Q8_0 block: d = 0.5 and q = -16 ..< 16.
        var q8: [UInt8] = Array(Float16(0.5).bitPattern.littleEndianBytes)
        q8 += (-16..<16).map { UInt8(bitPattern: Int8($0)) }
        try writer.addTensor("token_embd.weight", shape: [1, 32], type: .q8_0, rawBytes: q8)

        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("tensors.gguf")
        try writer.write(to: url)
        let file = try GGUFFile(contentsOf: url)

        #expect(file.alignment == alignment)
        #expect(file.dataOffset % alignment == 0)
        #expect(file.tensorNames == ["blk.0.attn_q.weight", "blk.0.attn_norm.weight", "token_embd.weight"])
        let q = try #require(file.tensor(named: "blk.0.attn_q.weight"))
        #expect(q.dimensions == [64, 3])
        #expect(q.shape == [3, 64])
        #expect(q.type == .f32)
        #expect(q.elementCount == 192)
        #expect(q.byteCount == 768)
        #expect(q.absoluteOffset == file.dataOffset + q.relativeOffset)
        for tensor in file.tensors {
            #expect(tensor.relativeOffset % alignment == 0)
        }
        #expect(try file.loadFloat32("blk.0.attn_q.weight") == matrix)
        #expect(try file.loadFloat32("blk.0.attn_norm.weight") == vector.map { Float(Float16($0)) })
        #expect(try file.loadFloat32("token_embd.weight") == (-16..<16).map { Float($0) * 0.5 })
        #expect(file.rawBytes(of: try #require(file.tensor(named: "token_embd.weight"))).elementsEqual(q8))
        #expect(file.shape(of: "token_embd.weight") == [1, 32])
        #expect(file.shape(of: "nope") == nil)

        // Dequantizing into preallocated memory writes exactly elementCount floats.
        var arena = [Float](repeating: .nan, count: 200)
        try arena.withUnsafeMutableBufferPointer { buffer in
            try file.dequantize(q, into: buffer)
        }
        #expect(Array(arena[0..<192]) == matrix)
        #expect(arena[192].isNaN)
    }

    @Test func loadingErrorsNameTheFile() throws {
        var writer = GGUFWriter()
        try writer.addTensor("a", shape: [32], type: .iq4_NL, rawBytes: [UInt8](repeating: 0, count: 18))
        try writer.addTensor("b", shape: [4], float32: [1, 2, 3, 4])
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("errors.gguf")
        try writer.write(to: url)
        let file = try GGUFFile(contentsOf: url)

        expectFormatError(naming: url.path, mentions: ["'missing.weight'"]) {
            $0 == .missingTensor("missing.weight")
        } _: { () throws(ModelFormatError) in
            _ = try file.loadFloat32("missing.weight")
        }
        expectFormatError(naming: url.path, mentions: ["IQ4_NL", "cannot be dequantized"]) {
            $0 == .unsupportedTensorType(name: "a", typeName: "IQ4_NL")
        } _: { () throws(ModelFormatError) in
            _ = try file.loadFloat32("a")
        }
        let b = try #require(file.tensor(named: "b"))
        let small = UnsafeMutableBufferPointer<Float>.allocate(capacity: 3)
        defer { small.deallocate() }
        expectFormatError(naming: url.path, mentions: ["'b'"]) {
            $0 == .bufferSizeMismatch(name: "b", needed: 4, provided: 3)
        } _: { () throws(ModelFormatError) in
            try file.dequantize(b, into: small)
        }
    }

    @Test func writerRefusesInconsistentTensors() throws {
        var writer = GGUFWriter()
        try writer.addTensor("x", shape: [2], float32: [1, 2])
        let source = "(GGUF writer)"
        expectFormatError(naming: source) { $0 == .duplicateTensor("x") } _: { () throws(ModelFormatError) in
            try writer.addTensor("x", shape: [2], float32: [1, 2])
        }
        expectFormatError(naming: source) {
            $0 == .bufferSizeMismatch(name: "y", needed: 12, provided: 8)
        } _: { () throws(ModelFormatError) in
            try writer.addTensor("y", shape: [3], float32: [1, 2])
        }
        expectFormatError(naming: source) {
            if case .rowNotBlockAligned(name: "z", rowLength: 16, _, _) = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            try writer.addTensor("z", shape: [2, 16], type: .q4_0, rawBytes: [])
        }
        expectFormatError(naming: source) {
            if case .absurdDimensions(name: "w", _, _) = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            try writer.addTensor("w", shape: [0, 4], float32: [])
        }
    }

    @Test func fileWithoutTensorsHasNoDataSection() throws {
        let writer = GGUFWriter()
        let bytes = try writer.serialized()
        #expect(bytes.count == 24)
        let directory = try TemporaryDirectory()
        let file = try GGUFFile(contentsOf: try directory.write(bytes, to: "empty-model.gguf"))
        #expect(file.tensors.isEmpty && file.metadata.isEmpty)
    }
}

extension FixedWidthInteger {
    var littleEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.littleEndian) { Array($0) }
    }
}
