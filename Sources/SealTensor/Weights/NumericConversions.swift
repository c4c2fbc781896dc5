/// Scalar conversions between fp32 and the compact weight formats.
public enum NumericConversions {
    /// fp32 to bf16 with round-to-nearest-even (NaN stays NaN, infinities stay infinite).
    @inline(__always)
    public static func bfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounding = 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// bf16 to fp32 (exact: bf16 is fp32's upper half).
    @inline(__always)
    public static func float(bfloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// One Q8_0 block: the scale `max|v| / 127` and the values rounded to `v / scale`.
    ///
    /// `values` and `quants` hold `Q8Block.size` elements. An all-zero block gets scale 0.
    @inline(__always)
    public static func quantizeBlock(_ values: UnsafePointer<Float>, into quants: UnsafeMutablePointer<Int8>) -> Float {
        var largest: Float = 0
        for i in 0..<Q8Block.size { largest = max(largest, abs(values[i])) }
        let scale = largest / 127
        let inverse: Float = scale == 0 ? 0 : 1 / scale
        for i in 0..<Q8Block.size {
            quants[i] = Int8(max(-127, min(127, (values[i] * inverse).rounded(.toNearestOrEven))))
        }
        return scale
    }
}

extension NumericConversions {
    /// IEEE half precision to fp32 (exact; subnormals, infinities and NaN included).
    @inline(__always)
    public static func float(half bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }
}
