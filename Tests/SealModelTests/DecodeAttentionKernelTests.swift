import Foundation
import SealTensor
import Testing

/// The fused single-token attention kernel (`seal_attend.h`) against float64 attention on
/// random data, for every instruction-set variant this CPU runs.
///
/// Bound: |Δ| <= 2e-5 against float64 attention over the values as stored (f16 keys and values
/// widened exactly, so the reference sees what the kernel sees). Queries are in [-2, 2), keys and
/// values in [-1, 1), scale 1/√hd: each score has at most 256 fp32 terms (rounding below 1e-5
/// absolute), exp is within 2 ulp, and each output is a convex combination of values of
/// magnitude < 1 summed in fp32 over at most a few thousand keys, so errors stay near 1e-6;
/// measured at most 1.3e-7. Lengths include 1, sizes that are not multiples of the 8- or 16-lane
/// vectors or of the 64-key tile, and one that spans several chunks (merged at the end).
@Suite("Fused decode attention kernel")
struct DecodeAttentionKernelTests {
    struct Shape: Sendable, CustomStringConvertible {
        let heads: Int, group: Int, hd: Int, length: Int
        var description: String { "\(heads) KV heads x \(group), hd \(hd), \(length) keys" }
    }

    static let shapes = [Shape(heads: 3, group: 3, hd: 64, length: 1), Shape(heads: 3, group: 3, hd: 64, length: 13),
                         Shape(heads: 3, group: 3, hd: 64, length: 2_049), Shape(heads: 2, group: 4, hd: 128, length: 1_000),
                         Shape(heads: 1, group: 1, hd: 16, length: 77), Shape(heads: 4, group: 2, hd: 48, length: 513),
                         Shape(heads: 2, group: 5, hd: 64, length: 65), Shape(heads: 1, group: 2, hd: 20, length: 9)]

    /// Deterministic values in [-1, 1) (a 64-bit LCG).
    struct Values {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    @Test("matches float64 for every variant, f32 and f16 caches", arguments: shapes, [false, true])
    func matchesFloat64(shape s: Shape, half: Bool) {
        var random = Values(state: UInt64(s.heads * 7919 + s.group * 104_729 + s.hd * 31 + s.length))
        // Rows past the length are never read (for half keys: beyond their last block).
        let stride = HalfBuffer.wholeKeyBlocks(s.length + 5) * s.hd
        let queries = (0..<(s.heads * s.group * s.hd)).map { _ in 2 * random.next() }
        var keys = (0..<(s.heads * stride)).map { _ in random.next() }
        var values = (0..<(s.heads * stride)).map { _ in random.next() }
        let keyHalves = Self.blocked(HalfConversion.encode(keys, variant: .portable), heads: s.heads, stride: stride, hd: s.hd,
                                    length: s.length)
        let valueHalves = HalfConversion.encode(values, variant: .portable)
        if half {  // the reference sees the stored halves
            keys = HalfConversion.decode(HalfConversion.encode(keys, variant: .portable), variant: .portable)
            values = HalfConversion.decode(valueHalves, variant: .portable)
        }
        let scale = 1 / Float(s.hd).squareRoot()
        let reference = Self.reference(queries, keys, values, s, stride: stride, scale: Double(scale))
        let shape = DecodeAttention.Shape(keyValueHeads: s.heads, group: s.group, headDimension: s.hd, headStride: stride)
        var scratch = [Float](repeating: .nan, count: shape.scratchCount)
        func run(_ variant: KernelVariant?, threads: Int) -> [Float] {
            var output = [Float](repeating: .nan, count: queries.count)
            let done = keys.withUnsafeBufferPointer { k in
                values.withUnsafeBufferPointer { v in
                    keyHalves.withUnsafeBufferPointer { kh in
                        valueHalves.withUnsafeBufferPointer { vh in
                            let cache: DecodeAttention.Cache = half ? .half(keys: kh.baseAddress!, values: vh.baseAddress!)
                                : .float(keys: k.baseAddress!, values: v.baseAddress!)
                            return DecodeAttention.run(queries: queries, cache: cache, shape: shape, length: s.length,
                                                       scale: scale, output: &output, scratch: &scratch,
                                                       threads: threads, variant: variant)
                        }
                    }
                }
            }
            #expect(done)
            return output
        }
        for variant in KernelVariant.allCases where variant.isSupported {
            let output = run(variant, threads: 1)
            let deviation = zip(output, reference).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(deviation <= 2e-5, "\(variant): max |Δ| \(deviation)")
        }
        #expect(run(nil, threads: 2) == run(nil, threads: 1), "the result depends on the thread count")
    }

    /// Row-major halves rearranged into the blocked key layout, written out from its definition
    /// in `seal_half.h` (element (j, i) of a head at (j / 16) * 16 * hd + i * 16 + j % 16), with
    /// NaN at positions from `length` on: the kernel reads whole blocks, and must not let the
    /// lanes past the length into any score.
    static func blocked(_ rows: [UInt16], heads: Int, stride: Int, hd: Int, length: Int) -> [UInt16] {
        var out = rows
        for head in 0..<heads {
            for j in 0..<(stride / hd) {
                for i in 0..<hd {
                    out[head * stride + (j / 16) * 16 * hd + i * 16 + j % 16] = j < length ? rows[head * stride + j * hd + i] : 0x7e00
                }
            }
        }
        return out
    }

    @Test("refuses shapes beyond its limits and writes zeros for no keys")
    func limits() {
        let wide = DecodeAttention.Shape(keyValueHeads: 1, group: 1, headDimension: DecodeAttention.maximumHeadDimension + 16,
                                         headStride: 4096)
        let crowded = DecodeAttention.Shape(keyValueHeads: 1, group: DecodeAttention.maximumGroup + 1, headDimension: 16,
                                            headStride: 4096)
        #expect(!wide.isSupported && !crowded.isSupported)
        let shape = DecodeAttention.Shape(keyValueHeads: 2, group: 2, headDimension: 16, headStride: 16)
        let queries = [Float](repeating: 1, count: 64), keys = [Float](repeating: 1, count: 32)
        var output = [Float](repeating: .nan, count: 64), scratch = [Float](repeating: 0, count: shape.scratchCount)
        func run(length: Int) -> Bool {
            keys.withUnsafeBufferPointer { k in
                DecodeAttention.run(queries: queries, cache: .float(keys: k.baseAddress!, values: k.baseAddress!), shape: shape,
                                    length: length, scale: 1, output: &output, scratch: &scratch, threads: 1)
            }
        }
        #expect(run(length: 0))
        #expect(output.allSatisfy { $0 == 0 })
        // A stride too short for the length would read past the cache: refused.
        #expect(!run(length: 2))
    }

    /// The softmax's vector exp (shared with prefill through ``Exponential``): within 5e-7 of
    /// float64 exp of the same fp32 difference (2 ulp is 2.4e-7) wherever the result is a normal
    /// float, below FLT_MIN under -87.3 (0 for the vector variants), exactly 0 for -inf, NaN for NaN,
    /// and the sum within 1e-6.
    @Test("vector exp matches float64 for every variant", arguments: KernelVariant.allCases.filter(\.isSupported))
    func exponential(variant: KernelVariant) {
        let inputs = (0..<997).map { -100 + 0.1003 * Float($0) } + [-.infinity, .nan, 0]
        var x = inputs
        let sum = Exponential.expShiftedSum(&x, count: 997, shift: 0.5, variant: variant)
        var reference = 0.0, worst = 0.0
        for i in 0..<997 {
            let exact = Foundation.exp(Double(inputs[i] - 0.5))
            reference += exact
            if exact >= Double(Float.leastNormalMagnitude) * 2 { worst = max(worst, abs(Double(x[i]) - exact) / exact) }
            if inputs[i] - 0.5 < -87.34 { #expect(x[i] < Float.leastNormalMagnitude, "exp(\(inputs[i] - 0.5)) = \(x[i])") }
        }
        #expect(worst <= 5e-7, "max relative error \(worst)")
        #expect(abs(Double(sum) - reference) / reference <= 1e-6)
        _ = Exponential.expShiftedSum(&x[997], count: 3, shift: 0, variant: variant)
        #expect(x[997] == 0 && x[998].isNaN && x[999] == 1)
    }

    /// softmax(scale q·Kᵀ) V per query row, in float64.
    /// How Self-Extend decodes: keys split into two calls (each could have its own query
    /// rotation), whose outputs fold into one softmax through their log-sum-exps. Both the
    /// log-sum-exp of each call and the folded output match float64 (the output within the
    /// bound above; log-sum-exp within 1e-5 relative).
    @Test("calls over disjoint keys fold into one softmax through their log-sum-exps", arguments: [1, 500, 1_999])
    func splitCallsMerge(split: Int) {
        let s = Shape(heads: 3, group: 3, hd: 64, length: 2_000)
        var random = Values(state: UInt64(split))
        let stride = s.length * s.hd
        let queries = (0..<(s.heads * s.group * s.hd)).map { _ in 2 * random.next() }
        let keys = (0..<(s.heads * stride)).map { _ in random.next() }
        let values = (0..<(s.heads * stride)).map { _ in random.next() }
        let scale = 1 / Float(s.hd).squareRoot()
        let reference = Self.reference(queries, keys, values, s, stride: stride, scale: Double(scale))
        let shape = DecodeAttention.Shape(keyValueHeads: s.heads, group: s.group, headDimension: s.hd, headStride: stride)
        var scratch = [Float](repeating: .nan, count: shape.scratchCount)
        var output = [Float](repeating: .nan, count: queries.count), part = output
        var logSumExp = [Float](repeating: .nan, count: s.heads * s.group), partLogSumExp = logSumExp
        keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                let (k0, v0) = (k.baseAddress!, v.baseAddress!)
                // Keys [0, split), then [split, length) through pointers that start at `split`.
                DecodeAttention.run(queries: queries, cache: .float(keys: k0, values: v0), shape: shape, length: split,
                                    scale: scale, output: &output, scratch: &scratch, threads: 2, logSumExp: &logSumExp)
                DecodeAttention.run(queries: queries, cache: .float(keys: k0 + split * s.hd, values: v0 + split * s.hd),
                                    shape: shape, length: s.length - split, scale: scale, output: &part,
                                    scratch: &scratch, threads: 2, logSumExp: &partLogSumExp)
            }
        }
        for h in 0..<s.heads {  // each call's log-sum-exp against float64
            for g in 0..<s.group {
                let row = (h * s.group + g) * s.hd
                func logSumExp64(_ range: Range<Int>) -> Double {
                    let logits = range.map { j in
                        Double(scale) * (0..<s.hd).reduce(0.0) { $0 + Double(queries[row + $1]) * Double(keys[h * stride + j * s.hd + $1]) }
                    }
                    let top = logits.max() ?? 0
                    return top + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - top) })
                }
                let (first, second) = (logSumExp64(0..<split), logSumExp64(split..<s.length))
                #expect(abs(Double(logSumExp[h * s.group + g]) - first) <= 1e-5 * max(1, abs(first)))
                #expect(abs(Double(partLogSumExp[h * s.group + g]) - second) <= 1e-5 * max(1, abs(second)))
            }
        }
        DecodeAttention.mergeSoftmax(output: &output, logSumExp: &logSumExp, part: part, partLogSumExp: partLogSumExp,
                                     heads: s.heads * s.group, headDimension: s.hd)
        let deviation = zip(output, reference).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(deviation <= 2e-5, "max |Δ| \(deviation)")
    }

    static func reference(_ q: [Float], _ k: [Float], _ v: [Float], _ s: Shape, stride: Int, scale: Double) -> [Double] {
        var out = [Double](repeating: 0, count: q.count)
        for h in 0..<s.heads {
            for g in 0..<s.group {
                let row = (h * s.group + g) * s.hd
                let logits = (0..<s.length).map { j in
                    scale * (0..<s.hd).reduce(0.0) { $0 + Double(q[row + $1]) * Double(k[h * stride + j * s.hd + $1]) }
                }
                let top = logits.max() ?? 0
                let weights = logits.map { Foundation.exp($0 - top) }
                let total = weights.reduce(0, +)
                for j in 0..<s.length {
                    for i in 0..<s.hd { out[row + i] += weights[j] / total * Double(v[h * stride + j * s.hd + i]) }
                }
            }
        }
        return out
    }
}
