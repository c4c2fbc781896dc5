/// Kernels for ggml's original 32-element block formats.
///
/// Layouts (all little-endian, `d`/`m` are fp16):
/// - Q4_0 (18 B): `d`, 16 bytes of nibbles; element j is the low nibble of
///   byte j, element j+16 the high nibble; value `d * (q - 8)`.
/// - Q4_1 (20 B): `d`, `m`, nibbles as Q4_0; value `d * q + m`.
/// - Q5_0 (22 B): `d`, a u32 of fifth bits (bit i for element i), nibbles; value `d * (q - 16)`.
/// - Q5_1 (24 B): `d`, `m`, fifth bits, nibbles; value `d * q + m`.
/// - Q8_0 (34 B): `d`, 32 signed bytes; value `q * d`.
enum LegacyKernels {
    static let half = 16

    static func q4_0(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 18
            let out = destination + b * 32
            let d = loadHalf(block, 0)
            for j in 0..<half {
                let byte = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                out[j] = d * Float(Int32(byte & 0x0F) - 8)
                out[j + half] = d * Float(Int32(byte >> 4) - 8)
            }
        }
    }

    static func q4_1(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 20
            let out = destination + b * 32
            let d = loadHalf(block, 0)
            let m = loadHalf(block, 2)
            for j in 0..<half {
                let byte = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                out[j] = d * Float(byte & 0x0F) + m
                out[j + half] = d * Float(byte >> 4) + m
            }
        }
    }

    static func q5_0(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 22
            let out = destination + b * 32
            let d = loadHalf(block, 0)
            let high = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            for j in 0..<half {
                let byte = block.load(fromByteOffset: 6 + j, as: UInt8.self)
                let low = Int32(byte & 0x0F) | Int32((high >> UInt32(j)) & 1) << 4
                let top = Int32(byte >> 4) | Int32((high >> UInt32(j + half)) & 1) << 4
                out[j] = d * Float(low - 16)
                out[j + half] = d * Float(top - 16)
            }
        }
    }

    static func q5_1(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 24
            let out = destination + b * 32
            let d = loadHalf(block, 0)
            let m = loadHalf(block, 2)
            let high = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            for j in 0..<half {
                let byte = block.load(fromByteOffset: 8 + j, as: UInt8.self)
                let low = UInt32(byte & 0x0F) | ((high >> UInt32(j)) & 1) << 4
                let top = UInt32(byte >> 4) | ((high >> UInt32(j + half)) & 1) << 4
                out[j] = d * Float(low) + m
                out[j + half] = d * Float(top) + m
            }
        }
    }

    static func q8_0(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 34
            let out = destination + b * 32
            let d = loadHalf(block, 0)
            for j in 0..<32 {
                out[j] = Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) * d
            }
        }
    }
}
