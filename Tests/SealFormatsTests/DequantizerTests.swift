import Foundation
import Testing

@testable import SealFormats

/// Types without gguf-py fixtures, the threaded path and argument checks.
@Suite("Dequantizer")
struct DequantizerTests {
    func run(_ type: GGMLType, _ bytes: [UInt8], count: Int) throws(ModelFormatError) -> [Float] {
        var output = [Float](repeating: .nan, count: max(count, 1))
        var failure: ModelFormatError?
        bytes.withUnsafeBytes { source in
            output.withUnsafeMutableBufferPointer { destination in
                do throws(ModelFormatError) {
                    // Never empty, so the base address exists.
                    guard let base = destination.baseAddress else { return }
                    try Dequantizer.dequantize(type, from: source, count: count, into: base)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return Array(output.prefix(count))
    }

    @Test func plainTypes() throws {
        let doubles: [Double] = [1.5, -2.25, 1e-40, .infinity]
        #expect(try run(.f64, doubles.flatMap { $0.bitPattern.littleEndianBytes }, count: 4) == doubles.map { Float($0) })
        let int8s: [Int8] = [-128, -1, 0, 127]
        #expect(try run(.i8, int8s.map { UInt8(bitPattern: $0) }, count: 4) == [-128, -1, 0, 127])
        let int16s: [Int16] = [-32768, 7, 32767]
        #expect(try run(.i16, int16s.flatMap(\.littleEndianBytes), count: 3) == [-32768, 7, 32767])
        let int32s: [Int32] = [-5, 16_777_217]
        #expect(try run(.i32, int32s.flatMap(\.littleEndianBytes), count: 2) == [-5, 16_777_216])
        let int64s: [Int64] = [-1, 1 << 40]
        #expect(try run(.i64, int64s.flatMap(\.littleEndianBytes), count: 2) == [-1, 0x1p40])
        let floats: [Float] = [0, -0.0, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        let f32 = try run(.f32, floats.flatMap { $0.bitPattern.littleEndianBytes }, count: 4)
        #expect(f32.map(\.bitPattern) == floats.map(\.bitPattern))
    }

    @Test func everyHalfWidensExactly() throws {
        let bits = (0...UInt16.max).map { $0 }
        let output = try run(.f16, bits.flatMap(\.littleEndianBytes), count: bits.count)
        for (pattern, value) in zip(bits, output) where !value.isNaN {
            #expect(value == Float(Float16(bitPattern: pattern)))
        }
        #expect(output[0x7C00] == .infinity && output[0x0001] == 0x1p-24 && output[0x7E00].isNaN)
        // bf16 is the upper half of an fp32.
        #expect(try run(.bf16, [0x80, 0x3F, 0x00, 0xC0], count: 2) == [1, -2])
    }

    @Test func q8KBlock() throws {
        var block = Float(0.25).bitPattern.littleEndianBytes
        block += (0..<256).map { UInt8(bitPattern: Int8(truncatingIfNeeded: $0 - 128)) }
        block += [UInt8](repeating: 0xAB, count: 32)  // block sums, unused
        #expect(block.count == GGMLType.q8_K.blockBytes)
        #expect(try run(.q8_K, block, count: 256) == (0..<256).map { Float($0 - 128) * 0.25 })
    }

    /// Tensors above a million elements are split across threads; the result must not change.
    @Test func threadedMatchesSerial() throws {
        let fixture = try DequantFixture.load("Q4_K")
        let raw = [UInt8](try #require(Data(base64Encoded: fixture.raw_base64)))
        let repeats = 1100  // 1100 * 1024 elements > 2^20
        var big: [UInt8] = []
        big.reserveCapacity(raw.count * repeats)
        for _ in 0..<repeats { big += raw }
        let output = try run(.q4_K, big, count: fixture.expected.count * repeats)
        let expected = fixture.expected.map { Float($0) }
        for chunk in stride(from: 0, to: output.count, by: expected.count) {
            #expect(Array(output[chunk..<(chunk + expected.count)]) == expected)
        }
    }

    @Test func badArgumentsThrow() throws {
        expectFormatError(naming: "(in-memory IQ2_XXS buffer)", mentions: ["IQ2_XXS"]) {
            if case .unsupportedTensorType = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try run(.iq2_XXS, [UInt8](repeating: 0, count: 66), count: 256)
        }
        expectFormatError(naming: "(in-memory Q4_0 buffer)") {
            if case .rowNotBlockAligned = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try run(.q4_0, [UInt8](repeating: 0, count: 18), count: 31)
        }
        expectFormatError(naming: "(in-memory Q4_0 buffer)") {
            if case .bufferSizeMismatch(_, needed: 36, provided: 18) = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try run(.q4_0, [UInt8](repeating: 0, count: 18), count: 64)
        }
        #expect(try run(.q4_0, [], count: 0).isEmpty)
    }
}
