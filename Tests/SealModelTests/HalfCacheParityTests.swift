import Foundation
@testable import SealModel
import SealTensor
import Testing

/// The f16 KV cache on the real model, against the fp32 numpy reference and the fp32 cache.
///
/// Bounds measured on SmolLM2-135M (Q4_1 file, logits up to 36) and stated here: the largest
/// |Δlogit| at the fixture's probed positions, against the numpy reference and against the same
/// session with an fp32 cache, is at most `logitBound` (measured at most 0.012 against numpy and
/// 0.015 against the fp32 cache, both on "capital-chatml"; 0.008 / 0.011 at the end of the
/// 2,036-token passkey prompt; the fp32 cache itself is 1.4e-3 from numpy); the top token at every probed position
/// is the reference's; the greedy continuations of the parity prompts equal the reference's
/// token for token (prefill, then decode one token at a time through the f16 cache).
/// Set SEAL_PRINT_DEVIATIONS=1 to print the measured values.
///
/// The fused decode attention (``DecodeAttention``) against the tiled sgemm path it replaced, with
/// either cache: after the 2,036-token passkey prompt (four chunks of keys per head, merged), 16
/// greedy steps decoded one token at a time by two sessions, one per path; the tokens are equal
/// and every step's logits within `fusedBound` of each other. With the f32 cache the two differ
/// only in fp32 summation order and exp: bound 1e-4, measured at most 2.3e-5 (logits up to ~30).
/// With f16 each layer caches the token's keys and values, computed from hidden states a few ulp
/// apart, as halves, and a rounding that flips moves that row by 2⁻¹¹ of itself: bound 1e-2,
/// measured 3.2e-3 at the first step and 4.1e-3 over all (within the f16 cache's own 0.03 above).
@Suite("f16 KV cache against the fp32 reference (slow: real model)")
struct HalfCacheParityTests {
    static let logitBound = 0.03
    static func fusedBound(_ cache: KVCacheStorage) -> Double { cache == .f32 ? 1e-4 : 1e-2 }

    /// Plain RoPE, and Self-Extend with a neighbour band of 600 keys: the fused path turns them
    /// in two pieces (512 + 88) and folds three calls into one softmax.
    static let plans: [(String, any PositionEncoding)] = [
        ("plain RoPE", StandardRoPE()),
        ("self-extend G=4 W=600", ExtensionParityTests.SelfExtend(group: 4, window: 600)),
    ]

    @Test("slow: fused decode attention matches the tiled path, f32 and f16 caches, plain and Self-Extend",
          arguments: KVCacheStorage.allCases, plans.indices)
    func fusedDecodeMatchesTiled(cache: KVCacheStorage, plan: Int) throws {
        let (planName, encoding) = Self.plans[plan]
        let url = try #require(TestPaths.model(TestPaths.smolLM2), "model not fetched: run scripts/fetch-models.sh")
        let fixture = try ParityFixture.load("smollm2-q4_1.json")
        let prompt = try #require(fixture.cases.first { $0.name == "passkey" }).tokens
        let model = try LanguageModel.load(from: url).transformer
        let steps = 16
        let fused = try InferenceSession(model: model, capacity: prompt.count + steps, positionEncoding: encoding,
                                         keyValueCache: cache)
        let tiled = try InferenceSession(model: model, capacity: prompt.count + steps, positionEncoding: encoding,
                                         keyValueCache: cache)
        tiled.fusedDecodeAttention = false
        var a = try fused.append(prompt), b = try tiled.append(prompt)
        var worst = 0.0
        let print = ProcessInfo.processInfo.environment["SEAL_PRINT_DEVIATIONS"] != nil
        for step in 0..<steps {
            let token = Int32(a.argmax)
            #expect(token == Int32(b.argmax), "\(planName), step \(step): greedy tokens differ")
            a = try fused.decode(token)
            b = try tiled.decode(token)
            let deviation = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? .infinity
            worst = max(worst, deviation)
            if print { Swift.print("fused decode, \(planName), \(cache) cache, step \(step): max |Δlogit| \(deviation)") }
            #expect(deviation <= Self.fusedBound(cache), "\(planName), step \(step): max |Δlogit| \(deviation)")
        }
        #expect(worst > 0, "both sessions took the same path")
    }

    @Test("SmolLM2 with an f16 cache stays close to fp32")
    func smolLM2() throws {
        let url = try #require(TestPaths.model(TestPaths.smolLM2), "model not fetched: run scripts/fetch-models.sh")
        let fixture = try ParityFixture.load("smollm2-q4_1.json")
        let model = try LanguageModel.load(from: url).transformer
        let print = ProcessInfo.processInfo.environment["SEAL_PRINT_DEVIATIONS"] != nil
        for testCase in fixture.cases {
            let capacity = testCase.tokens.count + 40
            let session = try InferenceSession(model: model, capacity: capacity, blockSize: 256, keyValueCache: .f16)
            #expect(session.keyValueCache == .f16)
            let logits = try session.evaluate(testCase.tokens, logitsAt: testCase.positions)
            let floats = try InferenceSession(model: model, capacity: capacity, blockSize: 256)
                .evaluate(testCase.tokens, logitsAt: testCase.positions)
            for (index, position) in testCase.positions.enumerated() {
                guard let reference = testCase.logits[String(position)] else { continue }
                let row = logits[index]
                let deviation = maximumDeviation(row, from: reference)
                let fromFloats = zip(row, floats[index]).map { Double(abs($0 - $1)) }.max() ?? .infinity
                if print { Swift.print("f16 cache \(testCase.name) @\(position): max |Δlogit| \(deviation) (reference), \(fromFloats) (f32 cache)") }
                #expect(deviation <= Self.logitBound, "\(testCase.name) @\(position): max |Δlogit| \(deviation) > \(Self.logitBound)")
                #expect(fromFloats <= Self.logitBound && fromFloats > 0,
                        "\(testCase.name) @\(position): \(fromFloats) from the f32 cache's logits")
                let top = Int(reference.top[0][0])
                #expect(Kernels.argmax(row, count: row.count).index == top, "\(testCase.name) @\(position): argmax differs")
            }
            guard let greedy = testCase.greedy else { continue }
            session.reset()
            var next = try session.append(testCase.tokens)
            var produced: [Int32] = []
            for _ in 0..<greedy.count {
                let token = Int32(next.argmax)
                produced.append(token)
                next = try session.decode(token)
            }
            if print { Swift.print("f16 cache \(testCase.name): greedy \(produced == greedy ? "equal" : "differs")") }
            #expect(produced == greedy, "\(testCase.name): greedy continuation differs with an f16 cache")
        }
    }
}
