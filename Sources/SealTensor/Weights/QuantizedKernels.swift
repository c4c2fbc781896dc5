/// Dot products of bf16 and Q8_0 rows with an fp32 vector, vectorised with Swift's SIMD types.
///
/// The compact values are widened with bit operations only (no integer-to-float conversion
/// instructions, which Swift's generic SIMD conversions would turn into per-lane calls):
///
/// - bf16: a 32-bit lane holding two bf16 values gives the even one as `lane << 16` and the odd
///   one as `lane & 0xFFFF0000`, both exact fp32 values.
/// - Q8_0: a 32-bit lane holding four int8 values gives value `k` by a left and an arithmetic
///   right shift; adding it to the bit pattern of 1.5·2²³ and subtracting 1.5·2²³ as floats
///   yields it exactly as fp32.
///
/// So the lanes of a chunk come out de-interleaved: the input vector is permuted once per
/// product (``permute(_:columns:storage:into:)``) to match, and each dot product then reads it
/// contiguously. Products accumulate in fp32, eight lanes at a time.
public enum QuantizedKernels {
    private static let magic = SIMD8<Int32>(repeating: 0x4B40_0000)
    private static let magicFloat = SIMD8<Float>(repeating: 12_582_912)

    /// Reorders `x` (`columns` floats, a multiple of 32) into the lane order the kernels of
    /// `storage` read: per 16 values evens then odds (bf16); per 32 values, four groups of the
    /// values at offsets `4j + k` (Q8_0). fp32 copies unchanged.
    public static func permute(_ x: UnsafePointer<Float>, columns: Int, storage: WeightStorage,
                               into out: UnsafeMutablePointer<Float>) {
        switch storage {
        case .f32:
            out.update(from: x, count: columns)
        case .bf16:
            for chunk in stride(from: 0, to: columns, by: 16) {
                for j in 0..<8 {
                    out[chunk + j] = x[chunk + 2 * j]
                    out[chunk + 8 + j] = x[chunk + 2 * j + 1]
                }
            }
        case .q8_0:
            for chunk in stride(from: 0, to: columns, by: 32) {
                for k in 0..<4 {
                    for j in 0..<8 { out[chunk + 8 * k + j] = x[chunk + 4 * j + k] }
                }
            }
        }
    }

    /// `row · x` for one bf16 row of `columns` values (a multiple of 16), `x` permuted for bf16.
    @inline(__always)
    public static func dotBF16(_ row: UnsafePointer<UInt16>, _ x: UnsafePointer<Float>, columns: Int) -> Float {
        let w = UnsafeRawPointer(row)
        let v = UnsafeRawPointer(x)
        let high = SIMD8<UInt32>(repeating: 0xFFFF_0000)
        var first = SIMD8<Float>()
        var second = SIMD8<Float>()
        var i = 0
        while i < columns {
            let lane = w.loadUnaligned(fromByteOffset: i * 2, as: SIMD8<UInt32>.self)
            let even = unsafeBitCast(lane &<< 16, to: SIMD8<Float>.self)
            let odd = unsafeBitCast(lane & high, to: SIMD8<Float>.self)
            first += even * v.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            second += odd * v.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        return (first + second).sum()
    }

    /// `row · x` for one Q8_0 row: `columns / 32` blocks of quants with one scale each,
    /// `x` permuted for Q8_0.
    @inline(__always)
    public static func dotQ8(_ quants: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
                             _ x: UnsafePointer<Float>, columns: Int) -> Float {
        let q = UnsafeRawPointer(quants)
        let v = UnsafeRawPointer(x)
        var total = SIMD8<Float>()
        var block = 0
        while block * 32 < columns {
            let offset = block * 32
            let lane = q.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int32>.self)
            let x0 = v.loadUnaligned(fromByteOffset: offset * 4, as: SIMD8<Float>.self)
            let x1 = v.loadUnaligned(fromByteOffset: offset * 4 + 32, as: SIMD8<Float>.self)
            let x2 = v.loadUnaligned(fromByteOffset: offset * 4 + 64, as: SIMD8<Float>.self)
            let x3 = v.loadUnaligned(fromByteOffset: offset * 4 + 96, as: SIMD8<Float>.self)
            let p0: SIMD8<Float> = widen((lane &<< 24) &>> 24) * x0
            let p1: SIMD8<Float> = widen((lane &<< 16) &>> 24) * x1
            let p2: SIMD8<Float> = widen((lane &<< 8) &>> 24) * x2
            let p3: SIMD8<Float> = widen(lane &>> 24) * x3
            let sum: SIMD8<Float> = (p0 + p1) + (p2 + p3)
            total += sum * SIMD8<Float>(repeating: scales[block])
            block += 1
        }
        return total.sum()
    }

    /// Small signed integers (|v| < 2²²) to fp32, exactly, with an integer add and a float subtract.
    @inline(__always)
    private static func widen(_ values: SIMD8<Int32>) -> SIMD8<Float> {
        unsafeBitCast(values &+ magic, to: SIMD8<Float>.self) - magicFloat
    }
}
