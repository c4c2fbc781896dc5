import Foundation

/// The element-wise fp32 kernels around the matrix products.
///
/// They take raw pointers and lengths so they can run on slices of scratch
/// buffers without allocation. Reductions use explicit 8-wide SIMD because the
/// optimizer does not reorder float additions on its own.
public enum Kernels {
    /// Sum of `x[i] * y[i]`.
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            acc += a * b
            i += 8
        }
        var total = acc.sum()
        while i < count {
            total += x[i] * y[i]
            i += 1
        }
        return total
    }

    /// RMSNorm of each of `rows` rows of length `dimension`:
    /// `out = x / sqrt(mean(x²) + epsilon) * weight`. `out` may alias `x`.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
        rows: Int, dimension: Int, out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = x + r * dimension
            let target = out + r * dimension
            let meanSquare = dot(row, row, count: dimension) / Float(dimension)
            let inverse = 1 / (meanSquare + epsilon).squareRoot()
            for i in 0..<dimension {
                target[i] = row[i] * inverse * weight[i]
            }
        }
    }

    /// `gate[i] = silu(gate[i]) * up[i]`, the SwiGLU activation.
    public static func siluMultiply(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// `x[i] += y[i]`.
    public static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// `x[i] *= y[i]`.
    public static func multiply(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] *= y[i] }
    }

    /// `x[i] *= s`.
    public static func scale(_ x: UnsafeMutablePointer<Float>, by s: Float, count: Int) {
        for i in 0..<count { x[i] *= s }
    }

    /// Index and value of the largest element (first one on ties).
    public static func argmax(_ x: UnsafePointer<Float>, count: Int) -> (index: Int, value: Float) {
        var best = 0
        var bestValue = -Float.infinity
        for i in 0..<count where x[i] > bestValue {
            best = i
            bestValue = x[i]
        }
        return (best, bestValue)
    }

    /// Largest element.
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var m = -Float.infinity
        for i in 0..<count where x[i] > m { m = x[i] }
        return m
    }
}
