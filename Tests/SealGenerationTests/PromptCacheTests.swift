import Foundation
import SealGeneration
import SealModel
import SealTestSupport
import SealTokenizer
import Testing

/// Prefix reuse across prompts (issue 9): keeping a shared prefix's KV state must change
/// nothing but the time, under plain RoPE and Self-Extend, on a tiny model file.
///
/// Tolerance: none. The kept prefix is cut to whole prefill blocks, so the rest is computed
/// in exactly the blocks a fresh prefill uses and the logits must be bit-identical.
@Suite("Prompt cache (tiny model)")
struct PromptCacheTests {
    static func tinyModel() throws -> LanguageModel {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 2, dimension: 32, heads: 4, kvHeads: 2, feedForward: 64, contextLength: 4096).write(to: url)
        return try LanguageModel.load(from: url)
    }

    /// Self-Extend as its two bands (neighbours at their positions, distant tokens grouped).
    struct SelfExtend: PositionEncoding {
        var group = 4
        var window = 64
        var name: String { "self-extend" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies, bands: PositionBand.selfExtend(group: group, window: window))
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int { rope.trainedContextLength }
    }

    /// Like dynamic NTK: the plan depends on the length the request reaches.
    struct LengthDependent: PositionEncoding {
        var name: String { "length-dependent" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            let scale = 1 + Double(max(1, sequenceLength)) / 100_000
            return PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies.map { $0 / scale })
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int { rope.trainedContextLength }
    }

    static func encoding(_ name: String) -> any PositionEncoding {
        switch name {
        case "self-extend": SelfExtend()
        case "length-dependent": LengthDependent()
        default: StandardRoPE()
        }
    }

    /// Byte tokens (3..<259) from a fixed generator.
    static func tokens(_ count: Int, seed: UInt64) -> [TokenID] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return TokenID(3 + Int((state >> 33) % 256))
        }
    }

    /// A shared "haystack" with a different "needle" at several depths, as pass-key prompts are.
    static func prompts() -> [[TokenID]] {
        let haystack = tokens(1500, seed: 1)
        let needles: [(depth: Int, seed: UInt64)] = [(1300, 1), (1100, 2), (1100, 3), (200, 4), (700, 5), (1450, 6)]
        return needles.map { needle -> [TokenID] in
            var prompt = Array(haystack[..<needle.depth])
            prompt += tokens(10 + Int(needle.seed), seed: 100 + needle.seed)
            prompt += haystack[needle.depth...].prefix(150)
            return prompt
        }
    }

    static func run(_ cache: PromptCache, _ encoding: any PositionEncoding) throws -> [[TokenID]] {
        try prompts().map { prompt in
            try cache.generate(prompt: prompt, positionEncoding: encoding, reach: prompt.count + 8,
                               options: GenerationOptions(maxTokens: 8, sampling: .greedy, ignoreEndOfGeneration: true)).tokens
        }
    }

    @Test("Answers with reuse equal answers without, and reuse happens", arguments: ["rope", "self-extend"],
          [KVCachePolicy.f32, .f16])
    func answersAreUnchanged(encodingName: String, cache: KVCachePolicy) throws {
        let model = try Self.tinyModel()
        let encoding = Self.encoding(encodingName)
        let fresh = PromptCache(model: model, transformer: model.transformer, capacity: 2000, reuse: false,
                                keyValueCache: cache)
        let cached = PromptCache(model: model, transformer: model.transformer, capacity: 2000, keyValueCache: cache)
        let expected = try Self.run(fresh, encoding)
        #expect(try Self.run(cached, encoding) == expected)
        #expect(Set(expected).count > 1, "the prompts should not all get one answer, or the comparison proves little")
        // Kept = the prefix shared with the previous prompt, cut to whole 512-token blocks.
        let prompts = Self.prompts()
        var kept = 0
        for i in 1..<prompts.count {
            let shared = zip(prompts[i - 1], prompts[i]).prefix { $0 == $1 }.count
            kept += min(shared, prompts[i].count - 1) / 512 * 512
        }
        #expect(kept == 1024 + 1024 + 0 + 0 + 512)
        #expect(cached.statistics.reusedTokens == kept)
        #expect(fresh.statistics.reusedTokens == 0)
        #expect(cached.statistics.promptTokens == prompts.map(\.count).reduce(0, +))
    }

    @Test("Logits after a kept prefix are bit-identical to a fresh prefill", arguments: ["rope", "self-extend"],
          [KVCacheStorage.f32, .f16])
    func logitsAreBitIdentical(encodingName: String, cache: KVCacheStorage) throws {
        let model = try Self.tinyModel()
        let encoding = Self.encoding(encodingName)
        let prompts = Self.prompts()
        let (previous, next) = (prompts[0], prompts[1])
        let rows = Array(stride(from: 1030, to: next.count - 1, by: 53)) + [next.count - 1]
        let fresh = try InferenceSession(model: model.transformer, capacity: 1800, positionEncoding: encoding,
                                         keyValueCache: cache)
        let expected = try fresh.evaluate(next, logitsAt: rows)

        let reused = try InferenceSession(model: model.transformer, capacity: 1800, positionEncoding: encoding,
                                          keyValueCache: cache)
        try reused.append(previous)
        reused.truncate(to: 1024)
        let got = try reused.evaluate(Array(next[1024...]), logitsAt: rows.map { $0 - 1024 })
        #expect(got == expected)
        // Unaligned, the same computation splits into other blocks: close, but that is why the cache aligns.
        let unaligned = try InferenceSession(model: model.transformer, capacity: 1800, positionEncoding: encoding,
                                             keyValueCache: cache)
        try unaligned.append(Array(next[..<1000]))
        let near = try unaligned.evaluate(Array(next[1000...]), logitsAt: rows.map { $0 - 1000 })
        for (a, b) in zip(near, expected) {
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-4 })
        }
    }

    @Test("A prompt whose plan differs (a length-dependent scale) reuses nothing and answers alike")
    func differentPlansAreNotReused() throws {
        let model = try Self.tinyModel()
        let encoding = LengthDependent()
        let cached = PromptCache(model: model, transformer: model.transformer, capacity: 2000)
        let fresh = PromptCache(model: model, transformer: model.transformer, capacity: 2000, reuse: false)
        // Each prompt has its own length, so its own scale: no prefix may be kept.
        #expect(Set(Self.prompts().map(\.count)).count == Self.prompts().count)
        #expect(try Self.run(cached, encoding) == Self.run(fresh, encoding))
        #expect(cached.statistics.reusedTokens == 0)
    }

    @Test("A kept prefix beyond what the session holds is refused")
    func keepingMoreThanHeldIsAnError() throws {
        let model = try Self.tinyModel()
        let session = try InferenceSession(model: model.transformer, capacity: 64)
        try session.append([1, 72, 105])
        #expect(throws: GenerationError.self) {
            try Generator(model: model).generate(prompt: [1, 72, 105, 33, 34], in: session, keepingPrefix: 4,
                                                 options: GenerationOptions(maxTokens: 2, sampling: .greedy))
        }
        #expect(throws: GenerationError.self) {
            try Generator(model: model).generate(prompt: [1, 72, 105], in: session, keepingPrefix: 3,
                                                 options: GenerationOptions(maxTokens: 2, sampling: .greedy))
        }
    }
}
