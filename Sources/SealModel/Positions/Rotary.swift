import Foundation

/// Applies RoPE rotations to rows of concatenated heads.
///
/// Angles are computed in double precision: at 32K positions a float32 angle
/// is off by ~4e-3 rad, enough to move logits visibly.
package struct Rotary {
    package let inverseFrequencies: [Double]
    package let layout: RoPELayout
    package let headDimension: Int

    package init(inverseFrequencies: [Double], layout: RoPELayout, headDimension: Int) {
        self.inverseFrequencies = inverseFrequencies
        self.layout = layout
        self.headDimension = headDimension
    }

    package var pairCount: Int { inverseFrequencies.count }

    /// Fills `cos` and `sin` (each `pairCount` long) for one position.
    @inline(__always)
    package func angles(position: Int, cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let p = Double(position)
        for i in 0..<pairCount {
            let angle = p * inverseFrequencies[i]
            cos[i] = Float(Foundation.cos(angle))
            sin[i] = Float(Foundation.sin(angle))
        }
    }

    /// Rotates each of `heads` heads of one row in place.
    @inline(__always)
    package func rotate(row: UnsafeMutablePointer<Float>, heads: Int,
                cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = pairCount
        for h in 0..<heads {
            let x = row + h * headDimension
            switch layout {
            case .interleaved:
                for i in 0..<half {
                    let a = x[2 * i], b = x[2 * i + 1]
                    x[2 * i] = a * cos[i] - b * sin[i]
                    x[2 * i + 1] = a * sin[i] + b * cos[i]
                }
            case .halves:
                for i in 0..<half {
                    let a = x[i], b = x[i + half]
                    x[i] = a * cos[i] - b * sin[i]
                    x[i + half] = a * sin[i] + b * cos[i]
                }
            }
        }
    }
}
