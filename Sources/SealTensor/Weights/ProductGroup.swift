import CSealKernels

/// Products of one input vector with several matrices (q, k and v; gate and up), run as one
/// task over the rows of the matrices stacked.
///
/// The decode step then pays one dispatch to the decode pool per group instead of one per matrix,
/// and the work is balanced over the stacked rows (k and v alone are too small to split well). The
/// matrices stay where they were loaded; the segments describing them are built once, so a run
/// allocates nothing. Each row is computed exactly as the matrix's own ``WeightMatrix/multiply(_:into:threads:)``
/// computes it, so a group's outputs are bit-identical to its products one by one.
///
/// `@unchecked Sendable`: the output pointers belong to one session's workspace and each worker
/// writes disjoint rows of them.
public struct ProductGroup: @unchecked Sendable {
    let matrices: [WeightMatrix]
    private let segments: [seal_matvec_segment]
    let columns: Int

    /// `matrices[i]` writes into `outputs[i]`; every matrix must take inputs of the same width.
    public init(_ matrices: [WeightMatrix], outputs: [UnsafeMutablePointer<Float>]) {
        precondition(matrices.count == outputs.count && !matrices.isEmpty, "one output per matrix")
        precondition(Set(matrices.map(\.columns)).count == 1, "a group shares one input vector")
        self.matrices = matrices
        segments = zip(matrices, outputs).map { $0.segment(into: $1) }
        columns = matrices[0].columns
    }

    /// Rows of all the matrices together.
    public var rows: Int { matrices.reduce(0) { $0 + $1.rows } }

    /// Every product of the group for input `x`, over up to `threads` threads.
    public func run(_ x: UnsafePointer<Float>, threads: Int) {
        segments.withUnsafeBufferPointer { parts in
            seal_matvec_group(parts.baseAddress, parts.count, columns, x, Int32(clamping: threads))
        }
    }
}
