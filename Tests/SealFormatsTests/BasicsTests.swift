import Foundation
import Testing

@testable import SealFormats

@Suite("GGMLType, ByteReader, MappedFile, error messages")
struct BasicsTests {
    @Test func ggmlTypeIdsNamesAndSizes() {
        // (id, name, block elements, block bytes) from ggml / gguf-py GGML_QUANT_SIZES.
        let table: [(UInt32, String, Int, Int)] = [
            (0, "F32", 1, 4), (1, "F16", 1, 2), (2, "Q4_0", 32, 18), (3, "Q4_1", 32, 20),
            (6, "Q5_0", 32, 22), (7, "Q5_1", 32, 24), (8, "Q8_0", 32, 34), (9, "Q8_1", 32, 36),
            (10, "Q2_K", 256, 84), (11, "Q3_K", 256, 110), (12, "Q4_K", 256, 144), (13, "Q5_K", 256, 176),
            (14, "Q6_K", 256, 210), (15, "Q8_K", 256, 292), (16, "IQ2_XXS", 256, 66), (17, "IQ2_XS", 256, 74),
            (18, "IQ3_XXS", 256, 98), (19, "IQ1_S", 256, 50), (20, "IQ4_NL", 32, 18), (21, "IQ3_S", 256, 110),
            (22, "IQ2_S", 256, 82), (23, "IQ4_XS", 256, 136), (24, "I8", 1, 1), (25, "I16", 1, 2),
            (26, "I32", 1, 4), (27, "I64", 1, 8), (28, "F64", 1, 8), (29, "IQ1_M", 256, 56), (30, "BF16", 1, 2),
            (34, "TQ1_0", 256, 54), (35, "TQ2_0", 256, 66), (39, "MXFP4", 32, 17),
        ]
        #expect(GGMLType.allCases.count == table.count)
        for (id, name, elements, bytes) in table {
            let type = GGMLType(rawValue: id)
            #expect(type?.name == name)
            #expect(type?.blockElements == elements, "\(name)")
            #expect(type?.blockBytes == bytes, "\(name)")
        }
        for retired: UInt32 in [4, 5, 31, 32, 33, 36, 40, 1000] {
            #expect(GGMLType(rawValue: retired) == nil)
        }
        #expect(GGMLType.q4_K.byteCount(forElements: 512) == 288)
        #expect(GGMLType.q4_K.byteCount(forElements: 100) == nil)
        #expect(GGMLType.allCases.filter(\.isDequantizable).map(\.name).sorted() == [
            "BF16", "F16", "F32", "F64", "I16", "I32", "I64", "I8", "Q2_K", "Q3_K", "Q4_0", "Q4_1",
            "Q4_K", "Q5_0", "Q5_1", "Q5_K", "Q6_K", "Q8_0", "Q8_K",
        ])
    }

    @Test func byteReaderReadsLittleEndianAndStopsAtTheEnd() throws {
        let bytes: [UInt8] = [0x01, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x68, 0x69]
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { storage.deallocate() }
        storage.copyBytes(from: bytes)
        var reader = ByteReader(bytes: UnsafeRawBufferPointer(storage), file: "mem")
        #expect(try reader.readBool())
        #expect(try reader.readUInt16() == 0x1234)
        #expect(try reader.readUInt32() == 0x1234_5678)
        #expect(try reader.readString() == "hi")
        #expect(reader.remaining == 0)
        reader.activity = "reading a test value"
        do throws(ModelFormatError) {
            _ = try reader.readUInt8()
            Issue.record("read past the end")
        } catch {
            #expect(error.kind == .truncated(needed: 1, at: 17, fileSize: 17, while: "reading a test value"))
            #expect(error.description.hasPrefix("mem: the file ends too early while reading a test value"))
        }
    }

    @Test func mappedFileMapsContentsAndHandlesEmptyFiles() throws {
        let directory = try TemporaryDirectory()
        let full = try MappedFile(path: try directory.write([1, 2, 3], to: "three").path)
        #expect(full.count == 3)
        #expect(Array(full.bytes) == [1, 2, 3])
        let empty = try MappedFile(path: try directory.write([], to: "empty").path)
        #expect(empty.count == 0 && empty.bytes.isEmpty)
    }

    @Test func errorMessageFormat() {
        let error = ModelFormatError(
            file: "models/x.gguf",
            kind: .tensorOutOfBounds(name: "blk.0.attn_q.weight", start: 1000, end: 5000, fileSize: 3000))
        #expect(error.description == "models/x.gguf: tensor 'blk.0.attn_q.weight' extends past the end of the file "
            + "(bytes 1000..5000 of a 3000-byte file); the file is probably truncated — download it again")
        let shape = ModelFormatError.shapeMismatch("w", expected: [4, 8], found: [8, 4], in: "m")
        #expect(shape.description.contains("has shape [8, 4] but [4, 8] is needed"))
        #expect(ModelFormatError.missingTensor("w", in: "m").kind == .missingTensor("w"))
    }

    /// A store that only implements the array-returning load.
    struct ArrayStore: TensorStore {
        var sourceDescription: String { "array-store" }
        var tensorNames: [String] { ["w"] }
        func shape(of name: String) -> [Int]? { name == "w" ? [3] : nil }
        func loadFloat32(_ name: String) throws(ModelFormatError) -> [Float] {
            guard name == "w" else { throw .missingTensor(name, in: sourceDescription) }
            return [1, 2, 3]
        }
    }

    @Test func loadIntoPreallocatedMemoryThroughTheProtocol() throws {
        var writer = GGUFWriter()
        try writer.addTensor("w", shape: [3], float32: [4, 5, 6])
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("w.gguf")
        try writer.write(to: url)
        let stores: [(any TensorStore, [Float])] = [(try GGUFFile(contentsOf: url), [4, 5, 6]), (ArrayStore(), [1, 2, 3])]
        for (store, expected) in stores {
            var output = [Float](repeating: -1, count: 4)
            try output.withUnsafeMutableBufferPointer { try store.loadFloat32("w", into: $0) }
            #expect(output == expected + [-1])
            let small = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2)
            defer { small.deallocate() }
            expectFormatError(naming: store.sourceDescription) {
                $0 == .bufferSizeMismatch(name: "w", needed: 3, provided: 2)
            } _: { () throws(ModelFormatError) in
                try store.loadFloat32("w", into: small)
            }
        }
    }
}
