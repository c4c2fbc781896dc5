import CSealKernels
import Foundation

/// The exponentials of the attention softmax.
///
/// Softmax over long contexts evaluates billions of exponentials: with glibc's scalar `expf`
/// they took about a fifth of prefill at 8,192 tokens (perf, issue 10). The bulk
/// ``expShiftedSum(_:count:shift:)`` runs the C vector exp of the fused decode attention
/// (`seal_attend.h`: AVX-512 or AVX2, a degree-6 polynomial within about 2 ulp, the portable
/// code calling `expf`); a hand-written 8-lane Swift version had measured slower than `expf` at
/// the default x86-64 target. `exp(-inf)` is 0, so masked logits contribute nothing.
public enum Exponential {
    /// `x[i] = exp(x[i] - shift)` in place; returns the sum of the results.
    @inline(__always)
    public static func expShiftedSum(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        seal_exp_shifted_sum(x, count, shift)
    }

    /// The same with an explicit instruction-set variant, for tests.
    public static func expShiftedSum(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float,
                                     variant: KernelVariant) -> Float {
        seal_exp_shifted_sum_variant(variant.rawValue, x, count, shift)
    }

    /// `exp(x)`, for the online-softmax rescaling factor.
    @inline(__always)
    public static func exp(_ x: Float) -> Float { expf(x) }
}
