import SealConfig
import SealTensor
import Testing

/// `model.threads` is validated in SealConfig, which cannot see the runtime; the runtime
/// clamps the same setting to the decode pool's size. Equal bounds mean a value the
/// configuration accepts is used as written, never silently lowered.
@Suite("Configuration bounds against the runtime")
struct ThreadBoundTests {
    @Test("model.threads accepts exactly the thread counts the decode pool can run")
    func threadsBoundIsThePoolCeiling() throws {
        let bound = try #require(SealdConfiguration.integerBounds["model.threads"])
        #expect(bound.range == 0...DecodePool.maximumThreads)
    }
}
