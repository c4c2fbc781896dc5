import SealModel
import SealTensor

/// cos/sin of every position under every band, for queries and keys, and the
/// moves between token-major projections and the stacked, rotated layout.
///
/// The backward of a rotation is the rotation by the opposite angle, so the
/// tables also keep `-sin`.
struct RotaryTables {
    let shape: TrainingShape
    let rows: Int
    let rotary: Rotary
    private let queryCosines: FloatBuffer
    private let querySines: FloatBuffer
    private let queryNegativeSines: FloatBuffer
    private let keyCosines: FloatBuffer
    private let keySines: FloatBuffer
    private let keyNegativeSines: FloatBuffer

    init(shape: TrainingShape, rows: Int, plan: PositionEncodingPlan, configuration: ModelConfiguration) {
        self.shape = shape
        self.rows = rows
        rotary = Rotary(inverseFrequencies: plan.inverseFrequencies, layout: configuration.ropeLayout,
                        headDimension: configuration.headDimension)
        let size = plan.bands.count * rows * shape.pairs
        queryCosines = FloatBuffer(count: size)
        querySines = FloatBuffer(count: size)
        queryNegativeSines = FloatBuffer(count: size)
        keyCosines = FloatBuffer(count: size)
        keySines = FloatBuffer(count: size)
        keyNegativeSines = FloatBuffer(count: size)
        for (b, band) in plan.bands.enumerated() {
            for t in 0..<rows {
                let offset = (b * rows + t) * shape.pairs
                rotary.angles(position: band.query.apply(t), cos: queryCosines.pointer + offset,
                              sin: querySines.pointer + offset)
                rotary.angles(position: band.key.apply(t), cos: keyCosines.pointer + offset,
                              sin: keySines.pointer + offset)
            }
        }
        for i in 0..<size {
            queryNegativeSines[i] = -querySines[i]
            keyNegativeSines[i] = -keySines[i]
        }
    }

    /// Token-major `[rows, q]` queries to `[band][group][rows · perGroup][hd]`, rotated per band.
    func stackAndRotateQueries(_ queries: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        stackAndRotate(queries, heads: shape.perGroup, rowWidth: shape.query, cos: queryCosines, sin: querySines,
                       into: target)
    }

    /// Token-major `[rows, kv]` keys to `[band][group][rows][hd]`, rotated per band.
    func stackAndRotateKeys(_ keys: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        stackAndRotate(keys, heads: 1, rowWidth: shape.keyValue, cos: keyCosines, sin: keySines, into: target)
    }

    /// Sums the per-band gradients of rotated queries, each rotated back, into token-major `[rows, q]`.
    func unrotateQueryGradients(_ source: UnsafeMutablePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        unrotateAndSum(source, heads: shape.perGroup, rowWidth: shape.query, cos: queryCosines,
                       negativeSin: queryNegativeSines, into: target)
    }

    /// Sums the per-band gradients of rotated keys, each rotated back, into token-major `[rows, kv]`.
    func unrotateKeyGradients(_ source: UnsafeMutablePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        unrotateAndSum(source, heads: 1, rowWidth: shape.keyValue, cos: keyCosines, negativeSin: keyNegativeSines,
                       into: target)
    }

    /// `[rows, groups · heads · hd]` to `[band][group][rows][heads · hd]`, each row rotated by its band's angles.
    private func stackAndRotate(_ source: UnsafePointer<Float>, heads: Int, rowWidth: Int, cos: FloatBuffer,
                                sin: FloatBuffer, into target: UnsafeMutablePointer<Float>) {
        let width = heads * shape.headDimension
        for b in 0..<shape.bands {
            for g in 0..<shape.groups {
                let base = target + (b * shape.groups + g) * rows * width
                for t in 0..<rows {
                    let row = base + t * width
                    row.update(from: source + t * rowWidth + g * width, count: width)
                    let table = (b * rows + t) * shape.pairs
                    rotary.rotate(row: row, heads: heads, cos: cos.pointer + table, sin: sin.pointer + table)
                }
            }
        }
    }

    /// The transpose of ``stackAndRotate``: rotates each band's rows back (in place) and sums the bands.
    private func unrotateAndSum(_ source: UnsafeMutablePointer<Float>, heads: Int, rowWidth: Int, cos: FloatBuffer,
                                negativeSin: FloatBuffer, into target: UnsafeMutablePointer<Float>) {
        let width = heads * shape.headDimension
        for b in 0..<shape.bands {
            for g in 0..<shape.groups {
                let base = source + (b * shape.groups + g) * rows * width
                for t in 0..<rows {
                    let row = base + t * width
                    let table = (b * rows + t) * shape.pairs
                    rotary.rotate(row: row, heads: heads, cos: cos.pointer + table, sin: negativeSin.pointer + table)
                    let out = target + t * rowWidth + g * width
                    if b == 0 { out.update(from: row, count: width) } else { Kernels.add(row, into: out, count: width) }
                }
            }
        }
    }
}

/// Moves between token-major `[rows, groups · width]` and group-stacked `[groups][rows][width]`.
enum GroupStacking {
    static func stack(_ source: UnsafePointer<Float>, rows: Int, groups: Int, width: Int,
                      into target: UnsafeMutablePointer<Float>) {
        for g in 0..<groups {
            for t in 0..<rows {
                (target + (g * rows + t) * width).update(from: source + (t * groups + g) * width, count: width)
            }
        }
    }

    static func unstack(_ source: UnsafePointer<Float>, rows: Int, groups: Int, width: Int,
                        into target: UnsafeMutablePointer<Float>) {
        for g in 0..<groups {
            for t in 0..<rows {
                (target + (t * groups + g) * width).update(from: source + (g * rows + t) * width, count: width)
            }
        }
    }
}
