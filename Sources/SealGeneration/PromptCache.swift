import Synchronization
import SealModel
import SealTokenizer

/// Keeps the last prompt's KV state so that the next prompt starting with the same tokens
/// prefills only what differs, as llama.cpp's prompt cache does.
///
/// Evaluation runs many prompts that are mostly identical (a pass-key haystack is the same
/// filler up to the key), so most of each prefill would recompute the previous one.
///
/// Reuse is exact, not approximate. A prefix is kept only when
/// - the resolved position plan of the new prompt equals the held session's (same
///   frequencies, attention factor and Self-Extend bands; dynamic NTK's per-request scale
///   differs with the length a request reaches, and then nothing is kept), and
/// - it is cut to a multiple of the session's block size, so the rest is prefilled in the
///   same blocks as a prefill from position 0 would use: every row sees the same matrices in
///   the same shapes, and the logits are bit-identical to a fresh session's.
///
/// Only prompt tokens are remembered: generated tokens were decoded one at a time, which
/// is not how a prefill computes them.
///
/// Used by one job at a time; the state is behind a lock so a job can hand the cache to
/// the compute thread that runs each sample.
public final class PromptCache: Sendable {
    /// What reuse saved so far.
    public struct Statistics: Sendable, Equatable {
        public var prompts = 0
        public var promptTokens = 0
        /// Prompt tokens taken from the cache instead of prefilled.
        public var reusedTokens = 0
        public init() {}
    }

    struct State {
        var session: InferenceSession?
        /// The prompt whose KV state `session` holds (its first `session.count` tokens, at most).
        var tokens: [TokenID] = []
        var statistics = Statistics()
    }

    public let model: LanguageModel
    public let transformer: TransformerModel
    /// Positions a held session is made for (the longest prompt plus answer the user of
    /// the cache expects), so shorter prompts can reuse it.
    public let capacity: Int
    /// With `false`, every prompt gets a fresh session sized for it (the behaviour without a cache).
    public let reuse: Bool
    /// How each session's KV cache is held, resolved for the size it is made for.
    public let keyValueCache: KVCachePolicy
    private let state = Mutex(State())

    /// - Parameters:
    ///   - transformer: the model's transformer, possibly with scaled heads.
    ///   - capacity: the most positions any prompt plus its answer will reach.
    ///   - keyValueCache: the KV cache type of the sessions it makes (a held session keeps its own).
    public init(model: LanguageModel, transformer: TransformerModel, capacity: Int, reuse: Bool = true,
                keyValueCache: KVCachePolicy = .f32) {
        self.keyValueCache = keyValueCache
        self.model = model
        self.transformer = transformer
        self.capacity = capacity
        self.reuse = reuse
    }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Generates a continuation of `prompt` positioned by `positionEncoding`'s plan for
    /// `reach` positions (prompt plus the most new tokens), reusing the held prefix when it is exact.
    public func generate(prompt: [TokenID], positionEncoding: any PositionEncoding, reach: Int,
                         options: GenerationOptions) throws(GenerationError) -> GenerationResult {
        let generator = Generator(model: model)
        let transformer = self.transformer, capacity = self.capacity, reuse = self.reuse, policy = keyValueCache
        return try state.withLock { state throws(GenerationError) -> GenerationResult in
            guard !prompt.isEmpty else { throw GenerationError(.emptyPrompt) }
            let rope = transformer.ropeParameters
            let plan: PositionEncodingPlan
            do throws(SealModelError) { plan = try positionEncoding.plan(for: rope, sequenceLength: reach) } catch { throw GenerationError(error) }
            var keep = 0
            let session: InferenceSession
            if reuse, let held = state.session, held.plan == plan, reach <= held.capacity,
               held.keyValueCache == policy.storage(capacity: reach, model: transformer) {
                let shared = Self.commonPrefix(state.tokens, prompt)
                keep = min(shared, prompt.count - 1, held.count) / held.blockSize * held.blockSize
                session = held
            } else {
                // Without reuse: exactly the session a single generation would make.
                let size = reuse ? min(max(reach, capacity), positionEncoding.effectiveContextLength(for: rope)) : reach
                let pinned = PinnedPlan(base: positionEncoding, plan: plan)
                do throws(SealModelError) { session = try InferenceSession(model: transformer, capacity: size, positionEncoding: pinned,
                                                                               keyValueCache: policy.storage(capacity: reach, model: transformer)) } catch {
                    throw GenerationError(error)
                }
            }
            // Forget the held prompt until this one is in place: a failed prefill leaves no stale state.
            state.session = nil
            state.tokens = []
            let result = try generator.generate(prompt: prompt, in: session, keepingPrefix: keep, options: options)
            if reuse {
                state.session = session
                state.tokens = prompt
            }
            state.statistics.prompts += 1
            state.statistics.promptTokens += prompt.count
            state.statistics.reusedTokens += keep
            return result
        }
    }

    static func commonPrefix(_ a: [TokenID], _ b: [TokenID]) -> Int {
        var i = 0
        let n = min(a.count, b.count)
        while i < n && a[i] == b[i] { i += 1 }
        return i
    }
}

/// A position encoding whose plan is fixed in advance: a session sized for the longest prompt
/// of a job still places tokens by the plan resolved for the current prompt's own length.
struct PinnedPlan: PositionEncoding {
    let base: any PositionEncoding
    let plan: PositionEncodingPlan

    var name: String { base.name }

    func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan { plan }

    func effectiveContextLength(for rope: RoPEParameters) -> Int { base.effectiveContextLength(for: rope) }
}
