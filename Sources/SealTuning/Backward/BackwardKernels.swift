import Foundation
import SealTensor

/// Element-wise pieces of the backward pass and the input gradient of a linear layer.
enum BackwardKernels {
    /// `inputGradient[rows, inputs] (+)= outputGradient[rows, outputs] · weight`: the input
    /// gradient of `BLAS.linear` (the weight `[outputs, inputs]` is used untransposed).
    static func linearBackward(_ outputGradient: UnsafePointer<Float>, rows: Int, outputs: Int, weight: FloatBuffer,
                               inputs: Int, accumulate: Bool, into inputGradient: UnsafeMutablePointer<Float>) {
        BLAS.gemm(m: rows, n: inputs, k: outputs, a: outputGradient, lda: outputs,
                  b: weight.pointer, ldb: inputs, transposeB: false,
                  beta: accumulate ? 1 : 0, c: inputGradient, ldc: inputs)
    }

    /// Adds the gradient of `y = x / √(mean(x²) + ε) ⊙ w` with respect to `x` into `inputGradient`:
    /// `r·(w ⊙ dy) - x·r³·Σ(dy ⊙ w ⊙ x)/d`.
    static func rmsNormBackward(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
                                rows: Int, dimension: Int, outputGradient: UnsafePointer<Float>,
                                into inputGradient: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * dimension
            let dy = outputGradient + r * dimension
            let dx = inputGradient + r * dimension
            let meanSquare = Kernels.dot(row, row, count: dimension) / Float(dimension)
            let inverse = 1 / (meanSquare + epsilon).squareRoot()
            var weighted: Float = 0
            for i in 0..<dimension { weighted += dy[i] * weight[i] * row[i] }
            let coefficient = inverse * inverse * inverse * weighted / Float(dimension)
            for i in 0..<dimension { dx[i] += inverse * weight[i] * dy[i] - coefficient * row[i] }
        }
    }

    /// SwiGLU backward: from `dm` (gradient of `silu(g) ⊙ u`) writes `dg` over `gate` and `du` over `up`.
    static func swigluBackward(_ activationGradient: UnsafePointer<Float>, gate: UnsafeMutablePointer<Float>,
                               up: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i], u = up[i], dm = activationGradient[i]
            let sigmoid = 1 / (1 + expf(-g))
            up[i] = dm * g * sigmoid
            gate[i] = dm * u * sigmoid * (1 + g * (1 - sigmoid))
        }
    }

    /// `gradient[c] += Σ_t outputGradient[t, c] · activation[t, c]`: the scale gradient of `s ⊙ a`.
    static func accumulateColumnProducts(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rows: Int,
                                         columns: Int, into gradient: UnsafeMutablePointer<Float>) {
        for t in 0..<rows {
            let x = a + t * columns, y = b + t * columns
            for c in 0..<columns { gradient[c] += x[c] * y[c] }
        }
    }
}
