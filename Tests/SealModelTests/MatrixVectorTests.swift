import Dispatch
import SealTensor
import Testing

/// The decode step's matrix-vector products on the decode pool: fp32 kernels against float64,
/// and the claim that makes threading and grouping safe for the reference path: every row is
/// computed the same way however rows are split, so results are bit-identical for any thread
/// count and with or without grouping.
///
/// fp32 bound: |Δ| <= 1e-5 × Σ|w·x| against float64 (fp32 accumulation over a few thousand terms
/// in 16 or 32 partial sums stays below 1e-6 × Σ|w·x|).
@Suite("Decode products (fp32 kernels, decode pool, groups)")
struct MatrixVectorTests {
    typealias Helpers = WeightStorageKernelTests

    /// Shapes with odd widths and heights: masked tails, rows not in blocks of 4 or 16.
    static let oddShapes = [(1, 1), (3, 7), (5, 17), (17, 33), (33, 1000), (64, 576), (131, 577), (200, 1536)]

    static func matrix(_ c: Helpers.Case, _ storage: WeightStorage) -> WeightMatrix {
        c.weights.withUnsafeBufferPointer {
            WeightMatrix(converting: $0.baseAddress!, rows: c.rows, columns: c.columns, to: storage)
        }
    }

    @Test("fp32 products of every supported kernel variant match float64", arguments: oddShapes)
    func float32Variants(shape: (Int, Int)) {
        let c = Helpers.random(rows: shape.0, columns: shape.1, seed: UInt64(shape.0 * 1009 + shape.1))
        let matrix = Self.matrix(c, .f32)
        for variant in KernelVariant.allCases where variant.isSupported {
            let y = Helpers.product(matrix, c.x, threads: 1, variant: variant)
            for r in 0..<c.rows {
                var exact = 0.0, magnitude = 0.0
                for k in 0..<c.columns {
                    let term = Double(c.weights[r * c.columns + k]) * Double(c.x[k])
                    exact += term
                    magnitude += abs(term)
                }
                #expect(abs(Double(y[r]) - exact) <= 1e-5 * magnitude + 1e-12,
                        "\(variant) \(shape) row \(r): \(y[r]) vs float64 \(exact)")
            }
        }
    }

    @Test("Threaded products equal the single-threaded ones bit for bit", arguments: WeightStorage.allCases)
    func threadsDoNotChangeResults(storage: WeightStorage) {
        let shapes = storage == .f32 ? Self.oddShapes + [(49152 / 16, 576)] : [(64, 576), (200, 1536), (3, 32), (1536, 64)]
        for (index, shape) in shapes.enumerated() {
            let c = Helpers.random(rows: shape.0, columns: shape.1, seed: UInt64(500 + index))
            let matrix = Self.matrix(c, storage)
            let single = Helpers.product(matrix, c.x, threads: 1)
            let rowByRow = (0..<c.rows).flatMap { r in
                var y = [Float](repeating: .nan, count: c.rows)
                c.x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { matrix.multiplyRows(r..<(r + 1), xp.baseAddress!, $0.baseAddress!) }
                }
                return [y[r]]
            }
            #expect(single == rowByRow, "\(storage) \(shape): blocks of rows differ from rows alone")
            for threads in [2, 3, 4, 7] {
                #expect(Helpers.product(matrix, c.x, threads: threads) == single, "\(storage) \(shape), \(threads) threads")
            }
        }
    }

    @Test("A group of fp32 products (q, k, v stacked) equals its products one by one, bit for bit")
    func float32Groups() {
        // SmolLM2's q, k, v at a smaller width, and gate/up, over thread counts that split inside a matrix.
        for shapes in [[(576, 64), (192, 64), (192, 64)], [(1536, 96), (1536, 96)], [(9, 5), (3, 5), (3, 5)]] {
            let cases = shapes.enumerated().map { Helpers.random(rows: $1.0, columns: $1.1, seed: UInt64(70 + $0)) }
            let matrices = cases.map { Self.matrix($0, .f32) }
            let x = Helpers.random(rows: 1, columns: shapes[0].1, seed: 71).x
            for threads in [1, 2, 3, 4] {
                let outputs = shapes.map { FloatBuffer(count: $0.0) }
                ProductGroup(matrices, outputs: outputs.map(\.pointer)).run(x, threads: threads)
                for (matrix, output) in zip(matrices, outputs) {
                    #expect(output.array == Helpers.product(matrix, x, threads: 1), "\(shapes), \(threads) threads")
                }
            }
        }
    }

    @Test("A linear layer of one row is the decode product")
    func linearSingleRow() {
        let c = Helpers.random(rows: 300, columns: 77, seed: 3)
        let matrix = Self.matrix(c, .f32)
        let weight = FloatBuffer(c.weights)
        var out = [Float](repeating: .nan, count: 300)
        c.x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer {
                BLAS.linear(xp.baseAddress!, rows: 1, inputs: 77, weight: weight, outputs: 300, bias: nil, into: $0.baseAddress!)
            }
        }
        #expect(out == Helpers.product(matrix, c.x, threads: 1))
    }

    @Test("Concurrent callers share the pool: each gets its own correct result")
    func concurrentCallers() {
        let cases = (0..<4).map { Helpers.random(rows: 1024, columns: 256, seed: UInt64(900 + $0)) }
        let matrices = cases.map { Self.matrix($0, .f32) }
        let expected = zip(matrices, cases).map { Helpers.product($0, $1.x, threads: 1) }
        let results = Failures()
        DispatchQueue.concurrentPerform(iterations: cases.count) { i in
            for _ in 0..<50 {
                let y = Helpers.product(matrices[i], cases[i].x, threads: 2)
                if y != expected[i] { results.fail(i) }
            }
        }
        #expect(results.failures == 0)
        #expect(DecodePool.workers >= 1 && DecodePool.workers < DecodePool.maximumThreads)
    }
}

/// Failure counts written from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var count = 0
    func fail(_ index: Int) {
        lock.wait()
        count += 1
        lock.signal()
    }
    var failures: Int {
        lock.wait()
        defer { lock.signal() }
        return count
    }
}
