import Foundation
@testable import SealModel
import SealTensor
import SealTestSupport
import Testing

/// The f16 KV cache (issue 10): conversions, attention over halves against a float64
/// reference, and sessions whose cache holds halves.
///
/// Bounds, each a separate claim:
/// - conversion: decoding is exact for all 65,536 bit patterns and encoding rounds as Swift's
///   own `Float16` does (IEEE, nearest even), except that finite values past ±65504 and
///   infinities saturate at ±65504 (`seal_half.h`);
/// - attention arithmetic: against float64 attention over the *stored* (half-rounded) keys and
///   values, |Δ| <= 2e-5 (fp32 sgemm and online softmax over ~800 keys of values in [-1, 1));
/// - storage error: against float64 attention over the original fp32 keys and values,
///   |Δ| <= 2e-3 (each value is off by at most 2⁻¹¹ of itself; logits of ~32 terms move by
///   a few 1e-3, outputs by less).
@Suite("f16 KV cache")
struct HalfCacheTests {
    /// Deterministic values in [-1, 1) (a 64-bit LCG).
    struct Values {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    static func variants() -> [KernelVariant] { KernelVariant.allCases.filter(\.isSupported) }

    @Test("halves widen exactly", arguments: variants())
    func decodingIsExact(variant: KernelVariant) {
        let patterns = (0...UInt16.max).map { $0 }
        let widened = HalfConversion.decode(patterns, variant: variant)
        for (bits, value) in zip(patterns, widened) {
            let reference = Float(Float16(bitPattern: bits))
            guard reference.isNaN ? value.isNaN : value.bitPattern == reference.bitPattern else {
                Issue.record("0x\(String(bits, radix: 16)) widens to \(value), not \(reference)")
                return
            }
        }
    }

    @Test("floats round to nearest even and saturate", arguments: variants())
    func encodingRoundsLikeFloat16(variant: KernelVariant) {
        var random = Values(state: 7)
        var inputs: [Float] = [0, -0, 1, -1, 65504, -65504, 65519, 65520, 1e9, -1e9, .infinity, -.infinity,
                               0x1p-24, 0x1p-25, 0x1.8p-25, 0x1p-14, 0x1.ff8p-15, 1e-30, .leastNonzeroMagnitude,
                               1 + 0x1p-11, 1 + 0x3p-11, 2049, 2051]
        // Every magnitude from subnormal halves to past the range, random mantissas.
        for exponent in -30...18 {
            for _ in 0..<200 { inputs.append(random.next() * Float(sign: .plus, exponent: exponent, significand: 1)) }
        }
        let halves = HalfConversion.encode(inputs, variant: variant)
        for (value, bits) in zip(inputs, halves) {
            let expected: UInt16 = abs(value) >= 65504 ? (value < 0 ? 0xFBFF : 0x7BFF) : Float16(value).bitPattern
            #expect(bits == expected, "\(value) encodes to 0x\(String(bits, radix: 16)), expected 0x\(String(expected, radix: 16))")
        }
        let nan = HalfConversion.encode([.nan, -.nan, .nan, .nan, .nan, .nan, .nan, .nan, .nan], variant: variant)
        #expect(nan.allSatisfy { Float16(bitPattern: $0).isNaN }, "NaN stays NaN: \(nan)")
    }

    @Test func autoTakesHalvesOnlyBeyondTheTrainedWindow() {
        #expect(KVCachePolicy.auto.storage(capacity: 8192, trainedContextLength: 8192) == .f32)
        #expect(KVCachePolicy.auto.storage(capacity: 8193, trainedContextLength: 8192) == .f16)
        #expect(KVCachePolicy.f16.storage(capacity: 16, trainedContextLength: 8192) == .f16)
        #expect(KVCachePolicy.f32.storage(capacity: 1 << 20, trainedContextLength: 8192) == .f32)
    }

    /// A model with 32-wide heads in two KV groups (so the kernels' vector loops and tails both run).
    static func model() throws -> TransformerModel {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 1, dimension: 128, heads: 4, kvHeads: 2, feedForward: 32, contextLength: 1024).write(to: url)
        return try LanguageModel.load(from: url).transformer
    }

    /// Random keys, values and queries written straight into a session's cache and workspace
    /// (queries unrotated: identity tables), attention run, and float64 attention beside it.
    @Test("attention over halves matches float64", arguments: [(1, 700), (40, 661), (64, 0)])
    func attentionMatchesFloat64(rows: Int, start: Int) throws {
        let model = try Self.model()
        let c = model.configuration
        let session = try InferenceSession(model: model, capacity: 1024, blockSize: 64, keyValueCache: .f16)
        let hd = c.headDimension, groups = c.keyValueHeadCount, perGroup = c.queriesPerKeyValueHead
        let positions = start + rows
        #expect(positions > session.workspace.attentionScratch[0].keyChunk || start == 0, "the keys span chunks")
        var random = Values(state: UInt64(rows * 1000 + start))
        let keys = (0..<(groups * positions * hd)).map { _ in random.next() }
        let values = (0..<(groups * positions * hd)).map { _ in random.next() }
        let cache = session.cache
        cache.reserve(positions, keeping: 0)
        for g in 0..<groups {
            for p in 0..<positions {
                let offset = (g * positions + p) * hd
                keys.withUnsafeBufferPointer { cache.storeKey($0.baseAddress! + offset, layer: 0, head: g, position: p) }
                values.withUnsafeBufferPointer { cache.storeValue($0.baseAddress! + offset, layer: 0, head: g, position: p) }
            }
        }
        let ws = session.workspace
        let queries = (0..<(rows * c.queryDimension)).map { _ in random.next() }
        ws.queries.pointer.update(from: queries, count: queries.count)
        ws.queryCosines.fill(1)
        ws.querySines.fill(0)
        BlockAttention(configuration: c, plan: session.plan, cache: cache, workspace: ws, rotations: session.rotations)
            .run(layer: 0, rows: rows, start: start)

        let scale = Double(session.plan.attentionFactor * session.plan.attentionFactor) / Double(hd).squareRoot()
        let half: (Float) -> Double = { Double(Float(Float16($0))) }
        var arithmetic = 0.0, storage = 0.0
        for r in 0..<rows {
            for h in 0..<c.headCount {
                let g = h / perGroup
                let q = Array(queries[(r * c.queryDimension + h * hd)..<(r * c.queryDimension + (h + 1) * hd)])
                let stored = Self.attend(q, keys: keys, values: values, group: g, positions: positions,
                                         upTo: start + r, hd: hd, scale: scale, round: half)
                let exact = Self.attend(q, keys: keys, values: values, group: g, positions: positions,
                                        upTo: start + r, hd: hd, scale: scale, round: { Double($0) })
                for i in 0..<hd {
                    let got = Double(ws.attention[r * c.queryDimension + h * hd + i])
                    arithmetic = max(arithmetic, abs(got - stored[i]))
                    storage = max(storage, abs(got - exact[i]))
                }
            }
        }
        #expect(arithmetic <= 2e-5, "against the stored halves: max |Δ| \(arithmetic)")
        #expect(storage <= 2e-3, "against the fp32 originals: max |Δ| \(storage)")
        #expect(storage > 0, "the cache holds halves, not floats")
    }

    /// Sessions with an f16 cache stay close to fp32 ones under plain RoPE and under Self-Extend,
    /// whose neighbour band derives its keys from the widened chunk. Bound 2e-2 on this random
    /// model's logits (measured 5.4e-3 plain, 6.8e-3 Self-Extend; a wrong band moves them by units).
    @Test(arguments: [false, true])
    func sessionsStayCloseToFloat32(selfExtend: Bool) throws {
        let model = try Self.model()
        let encoding: any PositionEncoding = selfExtend ? ExtensionParityTests.SelfExtend(group: 4, window: 32) : StandardRoPE()
        let tokens = (0..<700).map { Int32(3 + ($0 * 37) % 250) }
        let indices = [0, 100, 500, 699]
        let floats = try InferenceSession(model: model, capacity: 700, positionEncoding: encoding).evaluate(tokens, logitsAt: indices)
        let halves = try InferenceSession(model: model, capacity: 700, positionEncoding: encoding, keyValueCache: .f16)
            .evaluate(tokens, logitsAt: indices)
        for (k, index) in indices.enumerated() {
            let deviation = zip(floats[k], halves[k]).map { abs($0 - $1) }.max() ?? .infinity
            #expect(deviation <= 2e-2 && (index == 0 || deviation > 0), "position \(index): f16 differs by \(deviation)")
        }
    }

    /// Causal softmax attention of one query over keys `0...last` of `group`, in float64.
    static func attend(_ q: [Float], keys: [Float], values: [Float], group: Int, positions: Int, upTo last: Int,
                       hd: Int, scale: Double, round: (Float) -> Double) -> [Double] {
        var logits = [Double](repeating: 0, count: last + 1)
        for j in 0...last {
            let base = (group * positions + j) * hd
            logits[j] = scale * (0..<hd).reduce(0.0) { $0 + Double(q[$1]) * round(keys[base + $1]) }
        }
        let top = logits.max() ?? 0
        let weights = logits.map { Foundation.exp($0 - top) }
        let total = weights.reduce(0, +)
        var out = [Double](repeating: 0, count: hd)
        for j in 0...last {
            let base = (group * positions + j) * hd
            for i in 0..<hd { out[i] += weights[j] / total * round(values[base + i]) }
        }
        return out
    }
}
