import SealTensor
import Testing

/// bf16 and Q8_0 kernels against float64 references on random data.
///
/// Two separate claims, each with its own bound:
/// - kernel exactness: the product of the *stored* values (bf16-rounded or dequantized Q8_0)
///   computed in float64; the kernels accumulate in fp32, so |Δ| <= 1e-5 × Σ|w·x|
///   (fp32 rounding over at most a few thousand terms is below 1e-6 × Σ|w·x|);
/// - storage error: against the original fp32 weights, each bf16 weight is off by at most
///   2⁻⁹ of itself (round to nearest, 8 significant bits), each Q8_0 weight by at most half its
///   block's scale, so |Δ| <= 2⁻⁹ Σ|w·x| (bf16) or Σ scale/2 · |x| (Q8_0), plus the first bound.
@Suite("Compact weight kernels")
struct WeightStorageKernelTests {
    struct Case {
        let rows: Int
        let columns: Int
        let weights: [Float]
        let x: [Float]
    }

    /// Deterministic values in [-1, 1) (a 64-bit LCG), with a few large outliers per row.
    static func random(rows: Int, columns: Int, seed: UInt64) -> Case {
        var state = seed
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
        var weights = (0..<(rows * columns)).map { _ in next() * 0.1 }
        for r in 0..<rows { weights[r * columns + (r * 7) % columns] = 3 * next() }
        return Case(rows: rows, columns: columns, weights: weights, x: (0..<columns).map { _ in next() })
    }

    static func product(_ matrix: WeightMatrix, _ x: [Float], threads: Int, variant: KernelVariant? = nil) -> [Float] {
        var y = [Float](repeating: .nan, count: matrix.rows)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                if let variant {
                    matrix.multiplyRows(0..<matrix.rows, xp.baseAddress!, yp.baseAddress!, variant: variant)
                } else {
                    matrix.multiply(xp.baseAddress!, into: yp.baseAddress!, threads: threads)
                }
            }
        }
        return y
    }

    static func stored(_ matrix: WeightMatrix) -> [Float] {
        var values = [Float](repeating: 0, count: matrix.rows * matrix.columns)
        values.withUnsafeMutableBufferPointer { matrix.dequantize(rows: 0..<matrix.rows, into: $0.baseAddress!) }
        return values
    }

    @Test("The best kernel runs on this CPU")
    func bestVariant() {
        #expect(KernelVariant.best.isSupported)
        #expect(KernelVariant.portable.isSupported)
        #expect(KernelVariant.allCases.filter(\.isSupported).max { $0.rawValue < $1.rawValue } == KernelVariant.best)
    }

    @Test("bf16 and Q8_0 products of every supported kernel variant match float64", arguments: [WeightStorage.bf16, .q8_0], [(64, 576), (200, 1536), (3, 32)])
    func products(storage: WeightStorage, shape: (Int, Int)) {
        let c = Self.random(rows: shape.0, columns: shape.1, seed: UInt64(shape.0 * 31 + shape.1))
        let matrix = c.weights.withUnsafeBufferPointer {
            WeightMatrix(converting: $0.baseAddress!, rows: c.rows, columns: c.columns, to: storage)
        }
        let stored = Self.stored(matrix)
        #expect(Self.product(matrix, c.x, threads: 2) == Self.product(matrix, c.x, threads: 1),
                "splitting rows over threads changed the result")
        for variant in KernelVariant.allCases where variant.isSupported {
            check(Self.product(matrix, c.x, threads: 1, variant: variant), c, stored: stored, storage: storage, variant)
        }
    }

    func check(_ y: [Float], _ c: Case, stored: [Float], storage: WeightStorage, _ variant: KernelVariant) {
        for r in 0..<c.rows {
            var exact = 0.0, original = 0.0, magnitude = 0.0, quantization = 0.0
            for k in 0..<c.columns {
                let i = r * c.columns + k
                exact += Double(stored[i]) * Double(c.x[k])
                original += Double(c.weights[i]) * Double(c.x[k])
                magnitude += abs(Double(stored[i]) * Double(c.x[k]))
                // The bound on |stored - original| per weight, times |x|.
                let block = i / 32 * 32
                let largest = c.weights[block..<(block + 32)].map { abs($0) }.max() ?? 0
                let scale = storage == .q8_0 ? Double(largest) / 127 / 2 : abs(Double(c.weights[i])) * 0x1p-9
                quantization += scale * abs(Double(c.x[k]))
            }
            let kernelBound = 1e-5 * magnitude + 1e-12
            #expect(abs(Double(y[r]) - exact) <= kernelBound, "\(variant) row \(r): kernel \(y[r]) vs float64 \(exact)")
            #expect(abs(Double(y[r]) - original) <= quantization * 1.001 + kernelBound,
                    "\(variant) row \(r): \(y[r]) vs fp32 weights \(original), storage bound \(quantization)")
        }
    }

    @Test("Prefill tiles (sgemm on dequantized rows) equal one product per row", arguments: [WeightStorage.bf16, .q8_0])
    func prefillTiles(storage: WeightStorage) {
        // 300 outputs cross two tile boundaries (128 rows per tile).
        let c = Self.random(rows: 300, columns: 64, seed: 7)
        let matrix = c.weights.withUnsafeBufferPointer {
            WeightMatrix(converting: $0.baseAddress!, rows: c.rows, columns: c.columns, to: storage)
        }
        let inputs = (0..<3).map { Self.random(rows: 1, columns: 64, seed: UInt64(11 + $0)).x }
        let scratch = ProductScratch(columns: 64, storage: storage)
        var out = [Float](repeating: .nan, count: 3 * 300)
        let flat = inputs.flatMap { $0 }
        flat.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                BLAS.linear(xp.baseAddress!, rows: 3, inputs: 64, weight: matrix, outputs: 300, bias: nil,
                            scratch: scratch, into: op.baseAddress!)
            }
        }
        for (row, x) in inputs.enumerated() {
            let single = Self.product(matrix, x, threads: 1)
            for o in 0..<300 {
                let magnitude = x.indices.reduce(0) { $0 + abs(c.weights[o * 64 + $1] * x[$1]) }
                #expect(abs(out[row * 300 + o] - single[o]) <= 1e-5 * magnitude + 1e-7, "row \(row) output \(o)")
            }
        }
    }

    @Test("A group of products (q, k, v stacked) equals its products one by one", arguments: [WeightStorage.bf16, .q8_0])
    func groups(storage: WeightStorage) {
        let shapes = [(96, 64), (32, 64), (200, 64)]
        let matrices = shapes.enumerated().map { index, shape in
            let c = Self.random(rows: shape.0, columns: shape.1, seed: UInt64(40 + index))
            return c.weights.withUnsafeBufferPointer {
                WeightMatrix(converting: $0.baseAddress!, rows: c.rows, columns: c.columns, to: storage)
            }
        }
        let x = Self.random(rows: 1, columns: 64, seed: 99).x
        for threads in [1, 2, 3] {
            let outputs = shapes.map { FloatBuffer(count: $0.0) }
            ProductGroup(matrices, outputs: outputs.map(\.pointer)).run(x, threads: threads)
            for (matrix, output) in zip(matrices, outputs) {
                #expect(output.array == Self.product(matrix, x, threads: 1), "\(threads) threads")
            }
        }
    }

    @Test("bf16 rounds to nearest even; fp16 and bf16 widen exactly")
    func conversions() {
        #expect(NumericConversions.bfloat16(1) == 0x3F80)
        // 1 + 2⁻⁸ lies halfway between 1 and 1 + 2⁻⁷: ties go to the even mantissa (1).
        #expect(NumericConversions.bfloat16(1 + 0x1p-8) == 0x3F80)
        #expect(NumericConversions.bfloat16(1 + 0x1p-7 + 0x1p-8) == 0x3F82)
        #expect(NumericConversions.bfloat16(-.infinity) == 0xFF80)
        #expect(NumericConversions.bfloat16(.nan) & 0x7FC0 == 0x7FC0)
        #expect(NumericConversions.float(bfloat16: 0xC040) == -3)
        #expect(NumericConversions.float(half: 0x3C00) == 1)
        #expect(NumericConversions.float(half: 0xC000) == -2)
        #expect(NumericConversions.float(half: 0x0001) == 0x1p-24)
        #expect(NumericConversions.float(half: 0x7C00) == .infinity)
        #expect(NumericConversions.float(half: 0x7BFF) == 65504)
    }

    @Test("GGUF Q8_0 blocks load without an fp32 round trip and multiply like converted ones")
    func rawQ8Blocks() {
        // Two rows of one block each: fp16 scales 0.5 and -0.25, quants 0...31 and -31...0.
        var bytes: [UInt8] = []
        for (scale, quants) in [(UInt16(0x3800), (0..<32).map { Int8($0) }), (0xB400, (0..<32).map { Int8(-$0) })] {
            bytes += [UInt8(scale & 0xFF), UInt8(scale >> 8)] + quants.map { UInt8(bitPattern: $0) }
        }
        let matrix = bytes.withUnsafeBytes { WeightMatrix(q8_0Blocks: $0, rows: 2, columns: 32) }
        let values = Self.stored(matrix)
        #expect(values[31] == 15.5)
        #expect(values[32 + 4] == 1)
        let x = (0..<32).map { Float($0 % 3) }
        let y = Self.product(matrix, x, threads: 1)
        let expected = (0..<2).map { r in (0..<32).reduce(Float(0)) { $0 + values[r * 32 + $1] * x[$1] } }
        #expect(y == expected)
        #expect(matrix.byteCount == 64 + 2 * 4)
        #expect(matrix.firstNonFinite() == nil)
    }
}
