import Foundation
import SealModel
import SealTestSupport
import Testing

/// The KV cache grows by blocks as tokens arrive (issue 6, item 4): a huge window
/// costs nothing until it is used, and growing never changes the numbers.
@Suite("KV cache growth by blocks")
struct KVCacheGrowthTests {
    static func tinyModel(contextLength: Int) throws -> TransformerModel {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 2, contextLength: contextLength).write(to: url)
        return try LanguageModel.load(from: url).transformer
    }

    static let tokens: [Int32] = (0..<700).map { Int32(3 + ($0 * 37) % 250) }

    /// A 2^20-position window used to allocate its whole cache up front (an abort
    /// or the OOM killer); now it holds one block until tokens arrive.
    @Test func aHugeWindowHoldsOnlyWhatItUses() throws {
        let model = try Self.tinyModel(contextLength: 1 << 20)
        let session = try InferenceSession(model: model, capacity: 1 << 20)
        let c = model.configuration
        let perPosition = 2 * c.layerCount * c.keyValueHeadCount * c.headDimension * 4
        let small = try InferenceSession(model: model, capacity: 512)
        let empty = session.byteCount
        #expect(empty == small.byteCount, "an empty 2^20 window holds \(empty) bytes, a 512 one \(small.byteCount)")
        try session.append(Array(Self.tokens.prefix(600)))
        let used = session.byteCount
        #expect(used > empty, "600 tokens need more than one block")
        #expect(used - empty <= 2 * 600 * perPosition, "growth is bounded by the tokens held")
        let full = InferenceSession.memoryRequirement(model: model, capacity: 1 << 20)
        #expect(full.map { $0 >= (1 << 20) * perPosition } == true, "the budget figure counts the whole window")
        #expect(InferenceSession.memoryRequirement(model: model, capacity: .max) == nil, "overflow is reported, not trapped")
        let halves = InferenceSession.memoryRequirement(model: model, capacity: 1 << 20, keyValueCache: .f16)
        let saved = full.flatMap { f in halves.map { f - $0 } }
        #expect(saved.map { $0 > (1 << 20) * perPosition / 2 - (1 << 20) } == true,
                "an f16 cache counts half the KV bytes (less one chunk of widening scratch): saves \(saved ?? -1)")
    }

    /// The admission figure is what a full session really holds: KV cache, rotation tables,
    /// workspace and every worker's attention scratch (the scratch was once left out).
    @Test(arguments: [(false, 1, 512, KVCacheStorage.f32), (true, 1, 512, .f32), (false, 2, 64, .f32), (true, 2, 7, .f32),
                      (false, 1, 512, .f16), (true, 1, 512, .f16), (false, 2, 64, .f16), (true, 2, 7, .f16)])
    func theMemoryRequirementIsWhatAFullSessionHolds(selfExtend: Bool, workers: Int, blockSize: Int,
                                                    cache: KVCacheStorage) throws {
        let model = try Self.tinyModel(contextLength: 1024)
        let encoding: any PositionEncoding = selfExtend ? ExtensionParityTests.SelfExtend(group: 4, window: 32) : StandardRoPE()
        let capacity = 600
        let session = try InferenceSession(model: model, capacity: capacity, positionEncoding: encoding,
                                           blockSize: blockSize, attentionWorkers: workers, keyValueCache: cache)
        try session.append(Array(Self.tokens.prefix(capacity)))
        let predicted = InferenceSession.memoryRequirement(model: model, capacity: capacity, bandCount: session.plan.bands.count,
                                                           blockSize: blockSize, attentionWorkers: workers,
                                                           keyValueCache: cache)
        #expect(predicted == session.byteCount, "predicted \(predicted ?? -1) bytes, the full session holds \(session.byteCount)")
    }

    /// Self-Extend's band-rotation tables grow with the cache too: an empty huge window
    /// holds what an empty small one does.
    @Test func aHugeSelfExtendWindowHoldsOnlyWhatItUses() throws {
        let model = try Self.tinyModel(contextLength: 1 << 20)
        let encoding = ExtensionParityTests.SelfExtend(group: 4, window: 32)
        let session = try InferenceSession(model: model, capacity: 1 << 20, positionEncoding: encoding)
        let small = try InferenceSession(model: model, capacity: 512, positionEncoding: encoding)
        #expect(session.byteCount == small.byteCount, "an empty 2^20 window holds \(session.byteCount) bytes, a 512 one \(small.byteCount)")
        try session.append(Array(Self.tokens.prefix(600)))
        try small.append(Array(Self.tokens.prefix(500)))
        #expect(session.byteCount > small.byteCount, "600 tokens need more than 512 positions")
        #expect(session.byteCount < 2 * small.byteCount, "growth is bounded by the tokens held")
    }

    /// Prefill in one block, in small blocks and token by token grow the cache (and, with two
    /// bands, the rotation tables) at different points, copying different amounts; the logits
    /// must agree. With an f16 cache the three paths round slightly different fp32 keys to
    /// halves, so they agree to the halves' precision (bound measured: 2e-4 at most here).
    @Test(arguments: [false, true], [KVCacheStorage.f32, .f16])
    func growingTheCacheKeepsTheLogits(selfExtend: Bool, cache: KVCacheStorage) throws {
        let model = try Self.tinyModel(contextLength: 1024)
        let encoding: any PositionEncoding = selfExtend ? ExtensionParityTests.SelfExtend(group: 4, window: 32) : StandardRoPE()
        let indices = [0, 255, 256, 257, 400, 699]
        let whole = try InferenceSession(model: model, positionEncoding: encoding, blockSize: 512, maximumOutputRows: 8,
                                         keyValueCache: cache).evaluate(Self.tokens, logitsAt: indices)
        let small = try InferenceSession(model: model, positionEncoding: encoding, blockSize: 7, maximumOutputRows: 8,
                                         keyValueCache: cache).evaluate(Self.tokens, logitsAt: indices)
        let stepwise = try InferenceSession(model: model, capacity: 700, positionEncoding: encoding, keyValueCache: cache)
        var byStep: [[Float]] = []
        for (i, token) in Self.tokens.enumerated() {
            let logits = try stepwise.decode(token)
            if indices.contains(i) { byStep.append(Array(logits)) }
        }
        for (k, index) in indices.enumerated() {
            let d1 = zip(whole[k], small[k]).map { abs($0 - $1) }.max() ?? 0
            let d2 = zip(whole[k], byStep[k]).map { abs($0 - $1) }.max() ?? 0
            let bound: Float = cache == .f32 ? 1e-4 : 1e-3
            #expect(d1 < bound && d2 < bound, "\(cache) position \(index): block-7 differs by \(d1), token-by-token by \(d2)")
        }
    }
}
