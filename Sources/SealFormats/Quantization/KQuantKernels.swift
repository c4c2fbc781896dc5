/// Kernels for ggml's K-quants: 256-element super-blocks split into
/// sub-blocks that each carry their own (quantized) scale.
///
/// Layouts, with byte offsets within one super-block (fp16 unless noted):
/// - Q2_K (84 B): scales[16] @0 (low nibble scale, high nibble min), qs[64] @16
///   (2-bit), d @80, dmin @82. 16 groups of 16: `d*sc * q - dmin*m`.
/// - Q3_K (110 B): hmask[32] @0, qs[64] @32, 12 bytes of 6-bit signed scales @96,
///   d @108. `d*(scale-32) * (q - (high bit clear ? 4 : 0))`.
/// - Q4_K (144 B): d @0, dmin @2, 12 bytes of 6-bit scales and mins @4,
///   qs[128] @16. 8 groups of 32: `d*sc * q - dmin*m`.
/// - Q5_K (176 B): as Q4_K plus qh[32] @16 (bit s of byte l is the fifth bit
///   of element l of group s), qs[128] @48.
/// - Q6_K (210 B): ql[128] @0, qh[64] @128, int8 scales[16] @192, d @208.
///   `d*scale * (q - 32)`.
/// - Q8_K (292 B): fp32 d @0, int8 qs[256] @4, block sums @260 (unused here).
///
/// In Q2_K, Q3_K and Q6_K each 128-element half uses 32 bytes (Q6_K: 64 low
/// bytes and 32 high bytes); element `32*k + l` of the half reads byte `l` at
/// bit shift `2*k` (Q6_K: low nibbles for k < 2 from bytes `l` and `l+32`).
enum KQuantKernels {
    /// Scale and min `j` (0..<8) of a Q4_K/Q5_K block, unpacked from 12 bytes of 6-bit fields.
    @inline(__always)
    static func scaleAndMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: UInt8, min: UInt8) {
        func byte(_ i: Int) -> UInt8 { scales.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 {
            return (byte(j) & 63, byte(j + 4) & 63)
        }
        let scale = (byte(j + 4) & 0x0F) | ((byte(j - 4) >> 6) << 4)
        let min = (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4)
        return (scale, min)
    }

    static func q2_K(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 84
            let out = destination + b * 256
            let d = loadHalf(block, 80)
            let dmin = loadHalf(block, 82)
            for group in 0..<16 {
                let packed = block.load(fromByteOffset: group, as: UInt8.self)
                let scale = d * Float(packed & 0x0F)
                let offset = dmin * Float(packed >> 4)
                let half = group / 8, shift = ((group % 8) / 2) * 2, firstByte = (group % 2) * 16
                let qs = block + 16 + half * 32 + firstByte
                let y = out + group * 16
                for l in 0..<16 {
                    let q = (qs.load(fromByteOffset: l, as: UInt8.self) >> UInt8(shift)) & 3
                    y[l] = scale * Float(q) - offset
                }
            }
        }
    }

    static func q3_K(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 110
            let out = destination + b * 256
            let d = loadHalf(block, 108)
            let scales = block + 96
            for group in 0..<16 {
                let low = group < 8
                    ? scales.load(fromByteOffset: group, as: UInt8.self) & 0x0F
                    : scales.load(fromByteOffset: group - 8, as: UInt8.self) >> 4
                let high = (scales.load(fromByteOffset: 8 + group % 4, as: UInt8.self) >> UInt8(2 * (group / 4))) & 3
                let scale = d * Float(Int32(low | (high << 4)) - 32)
                let half = group / 8, shift = ((group % 8) / 2) * 2, firstByte = (group % 2) * 16
                let qs = block + 32 + half * 32 + firstByte
                let element = group * 16
                let maskBit = UInt8(element / 32)
                let hmask = block + (element % 32)
                let y = out + element
                for l in 0..<16 {
                    let q = Int32((qs.load(fromByteOffset: l, as: UInt8.self) >> UInt8(shift)) & 3)
                    let hasHigh = (hmask.load(fromByteOffset: l, as: UInt8.self) >> maskBit) & 1
                    y[l] = scale * Float(q - (hasHigh == 0 ? 4 : 0))
                }
            }
        }
    }

    static func q4_K(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 144
            let out = destination + b * 256
            let d = loadHalf(block, 0)
            let dmin = loadHalf(block, 2)
            for chunk in 0..<4 {
                let (scaleLow, minLow) = scaleAndMin(block + 4, 2 * chunk)
                let (scaleHigh, minHigh) = scaleAndMin(block + 4, 2 * chunk + 1)
                let d1 = d * Float(scaleLow), m1 = dmin * Float(minLow)
                let d2 = d * Float(scaleHigh), m2 = dmin * Float(minHigh)
                let qs = block + 16 + chunk * 32
                let y = out + chunk * 64
                for l in 0..<32 {
                    let byte = qs.load(fromByteOffset: l, as: UInt8.self)
                    y[l] = d1 * Float(byte & 0x0F) - m1
                    y[l + 32] = d2 * Float(byte >> 4) - m2
                }
            }
        }
    }

    static func q5_K(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 176
            let out = destination + b * 256
            let d = loadHalf(block, 0)
            let dmin = loadHalf(block, 2)
            let qh = block + 16
            for chunk in 0..<4 {
                let (scaleLow, minLow) = scaleAndMin(block + 4, 2 * chunk)
                let (scaleHigh, minHigh) = scaleAndMin(block + 4, 2 * chunk + 1)
                let d1 = d * Float(scaleLow), m1 = dmin * Float(minLow)
                let d2 = d * Float(scaleHigh), m2 = dmin * Float(minHigh)
                let qs = block + 48 + chunk * 32
                let y = out + chunk * 64
                let lowBit = UInt8(2 * chunk), highBit = UInt8(2 * chunk + 1)
                for l in 0..<32 {
                    let byte = qs.load(fromByteOffset: l, as: UInt8.self)
                    let fifth = qh.load(fromByteOffset: l, as: UInt8.self)
                    let q1 = (byte & 0x0F) | (((fifth >> lowBit) & 1) << 4)
                    let q2 = (byte >> 4) | (((fifth >> highBit) & 1) << 4)
                    y[l] = d1 * Float(q1) - m1
                    y[l + 32] = d2 * Float(q2) - m2
                }
            }
        }
    }

    static func q6_K(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 210
            let out = destination + b * 256
            let d = loadHalf(block, 208)
            for half in 0..<2 {
                let ql = block + half * 64
                let qh = block + 128 + half * 32
                let scales = block + 192 + half * 8
                let y = out + half * 128
                for l in 0..<32 {
                    let group = l / 16
                    let s1 = d * Float(scales.load(fromByteOffset: group, as: Int8.self))
                    let s2 = d * Float(scales.load(fromByteOffset: group + 2, as: Int8.self))
                    let s3 = d * Float(scales.load(fromByteOffset: group + 4, as: Int8.self))
                    let s4 = d * Float(scales.load(fromByteOffset: group + 6, as: Int8.self))
                    let a = ql.load(fromByteOffset: l, as: UInt8.self)
                    let c = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                    let h = qh.load(fromByteOffset: l, as: UInt8.self)
                    let q1 = Int32((a & 0x0F) | ((h & 3) << 4)) - 32
                    let q2 = Int32((c & 0x0F) | (((h >> 2) & 3) << 4)) - 32
                    let q3 = Int32((a >> 4) | (((h >> 4) & 3) << 4)) - 32
                    let q4 = Int32((c >> 4) | (((h >> 6) & 3) << 4)) - 32
                    y[l] = s1 * Float(q1)
                    y[l + 32] = s2 * Float(q2)
                    y[l + 64] = s3 * Float(q3)
                    y[l + 96] = s4 * Float(q4)
                }
            }
        }
    }

    static func q8_K(_ source: UnsafeRawPointer, _ blocks: Int, _ destination: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let block = source + b * 292
            let out = destination + b * 256
            let d = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            for j in 0..<256 {
                out[j] = d * Float(block.load(fromByteOffset: 4 + j, as: Int8.self))
            }
        }
    }
}
