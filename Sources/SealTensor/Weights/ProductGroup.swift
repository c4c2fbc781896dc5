import Dispatch

/// Products of one input vector with several matrices (q, k and v; gate and up), split over the
/// workers as one row range of the matrices stacked.
///
/// The decode step then pays one dispatch per group instead of one per matrix, and the work is
/// balanced over the stacked rows (k and v alone are too small to split well). The matrices stay
/// where they were loaded: nothing is copied into a fused layout.
///
/// `@unchecked Sendable`: the output pointers belong to one session's workspace and each worker
/// writes disjoint rows of them.
public struct ProductGroup: @unchecked Sendable {
    let matrices: [WeightMatrix]
    let outputs: [UnsafeMutablePointer<Float>]
    let totalRows: Int

    /// `matrices[i]` writes into `outputs[i]`; every matrix must take inputs of the same width.
    public init(_ matrices: [WeightMatrix], outputs: [UnsafeMutablePointer<Float>]) {
        precondition(matrices.count == outputs.count && !matrices.isEmpty, "one output per matrix")
        precondition(Set(matrices.map(\.columns)).count == 1, "a group shares one input vector")
        self.matrices = matrices
        self.outputs = outputs
        totalRows = matrices.reduce(0) { $0 + $1.rows }
    }

    /// Every product of the group for input `x`, over up to `threads` workers (64 rows each at least).
    public func run(_ x: UnsafePointer<Float>, threads: Int) {
        let parts = max(1, min(threads, totalRows / 64))
        if parts == 1 {
            multiply(rows: 0..<totalRows, x)
            return
        }
        let chunk = (totalRows + parts - 1) / parts
        let input = SharedInput(pointer: x)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            multiply(rows: (part * chunk)..<min(totalRows, (part + 1) * chunk), input.pointer)
        }
    }

    /// Rows `range` of the stacked matrices.
    private func multiply(rows range: Range<Int>, _ x: UnsafePointer<Float>) {
        var offset = 0
        for index in matrices.indices {
            let matrix = matrices[index]
            let low = max(range.lowerBound, offset), high = min(range.upperBound, offset + matrix.rows)
            if low < high { matrix.multiplyRows((low - offset)..<(high - offset), x, outputs[index]) }
            offset += matrix.rows
        }
    }
}

/// The input vector, read by every worker of a group.
private struct SharedInput: @unchecked Sendable {
    let pointer: UnsafePointer<Float>
}
