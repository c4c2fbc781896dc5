import Foundation
import Testing

@testable import SealFormats

/// One file of Tests/Fixtures/dequant/, written by
/// Tools/reference/make_dequant_fixtures.py from gguf-py's dequantizer.
struct DequantFixture: Decodable {
    var type: String
    var ggml_type_id: UInt32
    var block_elements: Int
    var block_bytes: Int
    var raw_base64: String
    var expected: [Double]

    static func load(_ name: String) throws -> DequantFixture {
        let url = Paths.dequantFixtures.appendingPathComponent("\(name).json")
        return try JSONDecoder().decode(DequantFixture.self, from: Data(contentsOf: url))
    }
}

/// Dequantization must match gguf-py bit for bit (tolerance 0 ulp): both
/// widen fp16 exactly and combine scales in ggml's order.
@Suite("Dequantization matches gguf-py exactly")
struct DequantFixtureTests {
    static let types = ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"]

    @Test(arguments: types)
    func matchesReference(_ name: String) throws {
        let fixture = try DequantFixture.load(name)
        let type = try #require(GGMLType(rawValue: fixture.ggml_type_id))
        #expect(type.name == fixture.type)
        #expect(type.blockElements == fixture.block_elements)
        #expect(type.blockBytes == fixture.block_bytes)
        #expect(type.isDequantizable)

        let raw = try #require(Data(base64Encoded: fixture.raw_base64))
        let count = fixture.expected.count
        #expect(raw.count == count / type.blockElements * type.blockBytes)
        var output = [Float](repeating: .nan, count: count)
        try raw.withUnsafeBytes { source in
            try output.withUnsafeMutableBufferPointer { destination in
                try Dequantizer.dequantize(type, from: source, count: count, into: destination.baseAddress!)
            }
        }
        let expected = fixture.expected.map { Float($0) }
        #expect(bitDifferences(output, expected).isEmpty, "\(name): \(bitDifferences(output, expected))")
    }

    /// The same blocks at an odd address (as inside a GGUF block stream) decode identically.
    @Test(arguments: ["Q4_K", "Q6_K", "Q5_0", "F16"])
    func unalignedSourceGivesSameResult(_ name: String) throws {
        let fixture = try DequantFixture.load(name)
        let type = try #require(GGMLType(rawValue: fixture.ggml_type_id))
        let raw = [UInt8](try #require(Data(base64Encoded: fixture.raw_base64)))
        let shifted = [0x55] + raw
        var output = [Float](repeating: 0, count: fixture.expected.count)
        try shifted.withUnsafeBytes { source in
            try output.withUnsafeMutableBufferPointer { destination in
                try Dequantizer.dequantize(
                    type, from: UnsafeRawBufferPointer(rebasing: source[1...]), count: destination.count,
                    into: destination.baseAddress!)
            }
        }
        #expect(bitDifferences(output, fixture.expected.map { Float($0) }).isEmpty)
    }
}
