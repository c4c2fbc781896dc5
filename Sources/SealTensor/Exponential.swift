/// A vectorised `exp` for the attention softmax.
///
/// Softmax over long contexts evaluates billions of exponentials; scalar
/// `expf` would dominate prefill time. This uses the classic range reduction
/// `x = n·ln2 + r` with a degree-6 polynomial for `e^r` (relative error about
/// 2e-7, i.e. within a few ulp), and maps arguments below -87 to exactly 0 so
/// masked logits (-inf) contribute nothing.
public enum Exponential {
    @inline(__always)
    static func exp8(_ input: SIMD8<Float>) -> SIMD8<Float> {
        let x = input.clamped(lowerBound: SIMD8(repeating: -87.0), upperBound: SIMD8(repeating: 88.0))
        let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
        var r = x - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        let r2 = r * r
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_1e-1
        p = p * r2 + r + 1
        let exponent = SIMD8<Int32>(n, rounding: .towardZero) &+ 127
        let scale = unsafeBitCast(exponent &<< 23, to: SIMD8<Float>.self)
        return (p * scale).replacing(with: 0, where: input .< -87.0)
    }

    /// `x[i] = exp(x[i] - shift)` in place; returns the sum of the results.
    @inline(__always)
    public static func expShiftedSum(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        var total = SIMD8<Float>(repeating: 0)
        let s = SIMD8<Float>(repeating: shift)
        var i = 0
        while i + 8 <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            let e = exp8(raw.loadUnaligned(as: SIMD8<Float>.self) - s)
            raw.storeBytes(of: e, as: SIMD8<Float>.self)
            total += e
            i += 8
        }
        var sum = total.sum()
        if i < count {
            var tail = SIMD8<Float>(repeating: -.infinity)
            for k in 0..<(count - i) { tail[k] = x[i + k] }
            let e = exp8(tail - s)
            for k in 0..<(count - i) {
                x[i + k] = e[k]
                sum += e[k]
            }
        }
        return sum
    }

    /// Scalar convenience with the same accuracy, for tests and cold paths.
    public static func exp(_ x: Float) -> Float { exp8(SIMD8(repeating: x))[0] }
}
