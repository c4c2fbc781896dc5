import Foundation

/// The exponentials of the attention softmax.
///
/// Softmax over long contexts evaluates billions of exponentials. A hand-written
/// 8-lane polynomial `exp` was measured 1.5x slower end to end than glibc's
/// `expf` on the default x86-64 target (the generic SIMD rounding and
/// float-to-int conversions are not lowered to vector instructions there), so
/// this uses `expf`, which is also exact to within an ulp. `exp(-inf)` is 0, so
/// masked logits contribute nothing.
public enum Exponential {
    /// `x[i] = exp(x[i] - shift)` in place; returns the sum of the results.
    @inline(__always)
    public static func expShiftedSum(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(x[i] - shift)
            x[i] = e
            sum += e
        }
        return sum
    }

    /// `exp(x)`, for the online-softmax rescaling factor.
    @inline(__always)
    public static func exp(_ x: Float) -> Float { expf(x) }
}
