import Foundation
import SealAPI
import SealConfig
import SealModel
@testable import SealService
import Testing

/// seald's `model.kv_cache` reaches the sessions it makes and the memory it admits them for:
/// a generation is admitted for exactly the bytes a session with that cache type holds when
/// full, and runs.
@Suite("KV cache type in the service (in process, tiny model)", .timeLimit(.minutes(1)))
struct KVCacheServiceTests {
    @Test(arguments: [SealdConfiguration.Model.KVCache.f32, .f16, .auto])
    func generationsAreAdmittedForTheConfiguredCache(cache: SealdConfiguration.Model.KVCache) async throws {
        let harness = try await InProcessService.start(kvCache: cache)
        defer { harness.remove() }
        let request = try APIJSON.decode(GenerateRequest.self, from: Data(#"{"prompt":"hi","max_tokens":4}"#.utf8))
        let prepared = try await harness.service.generation.prepare(request)
        // The tiny model's window is 64 positions: auto keeps fp32 within it.
        let expected: KVCacheStorage = cache == .f16 ? .f16 : .f32
        #expect(prepared.loaded.keyValueCache(capacity: prepared.capacity) == expected)
        let workers = harness.service.generation.resources.attentionWorkers
        func requirement(_ storage: KVCacheStorage) -> Int? {
            InferenceSession.memoryRequirement(model: prepared.transformer, capacity: prepared.capacity, bandCount: 1,
                                               blockSize: prepared.blockSize, maximumOutputRows: prepared.outputRows,
                                               attentionWorkers: workers, keyValueCache: storage)
        }
        #expect(prepared.memoryBytes == requirement(expected))
        // (At 64 positions an f16 session holds more than an fp32 one: its chunk of widening scratch
        // outweighs the halved cache. The figures differ, which is what makes the equality above a check.)
        #expect(requirement(.f16) != requirement(.f32))
        let answer = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":4}"#)
        #expect(answer.status == 200, "\(answer.body)")
    }
}
