import Foundation
import SealTensor
import SealTokenizer

/// One sequence being processed: its KV cache, scratch memory and position plan.
///
/// A session is single-owner (not `Sendable`): one generation or one tuning
/// step at a time. Tokens are processed in blocks of `blockSize` rows through
/// sgemm (prefill); a block of one row is a decode step. Scratch memory is sized
/// at construction; the KV cache (and Self-Extend's band-rotation tables) grow by
/// whole blocks of positions as tokens arrive (never per token), up to `capacity`.
public final class InferenceSession {
    public let model: TransformerModel
    /// The most positions this session can hold (its context window).
    public let capacity: Int
    public let positionEncoding: any PositionEncoding
    public let plan: PositionEncodingPlan
    /// Tokens currently in the cache.
    public internal(set) var count = 0

    let cache: KVCache
    let workspace: Workspace
    /// Grouped decode products (q/k/v and gate/up of each layer).
    let decodeGroups: [DecodeGroups]
    /// How keys of bands other than the cached one are derived (Self-Extend's neighbours).
    let rotations: BandRotations
    /// Whether decode steps attend through the fused kernel (``BlockAttention/attendFused(layer:position:)``)
    /// where it applies; tests turn it off to compare with the tiled path.
    var fusedDecodeAttention = true

    /// - Parameters:
    ///   - capacity: context window; defaults to what the position encoding lets
    ///     the model address, and may not exceed it.
    ///   - maximumOutputRows: rows whose logits one ``evaluate(_:logitsAt:)`` call may return per block.
    ///   - attentionWorkers: threads attention tiles are spread over (default: the process's
    ///     one thread setting, ``BLAS/threadCount``; OpenBLAS itself runs single-threaded,
    ///     so the tiles' products never start threads of their own). The session never
    ///     changes the thread setting; its owner sets that once.
    ///   - keyValueCache: how the KV cache holds keys and values (fp32, the reference, by default).
    public init(model: TransformerModel, capacity: Int? = nil,
                positionEncoding: any PositionEncoding = StandardRoPE(),
                blockSize: Int = 512, maximumOutputRows: Int = 8, attentionWorkers: Int? = nil,
                keyValueCache: KVCacheStorage = .f32) throws(SealModelError) {
        let rope = model.ropeParameters
        let window = positionEncoding.effectiveContextLength(for: rope)
        let capacity = capacity ?? window
        guard capacity > 0 else {
            throw SealModelError(.invalidPositionEncoding(reason: "context capacity must be positive"))
        }
        guard capacity <= window else {
            throw SealModelError(.contextOverflow(requested: capacity, limit: window))
        }
        let plan = try positionEncoding.plan(for: rope, sequenceLength: capacity)
        try plan.validate(for: rope)
        self.model = model
        self.capacity = capacity
        self.positionEncoding = positionEncoding
        self.plan = plan
        let block = max(1, min(blockSize, capacity))
        // Keys are cached for one band only; the others are derived per tile (BandRotations).
        cache = KVCache(configuration: model.configuration, capacity: capacity, storage: keyValueCache)
        rotations = BandRotations(plan: plan, capacity: capacity, pairs: model.configuration.ropeDimensionCount / 2)
        workspace = Workspace(configuration: model.configuration, blockSize: block,
                              bandCount: plan.bands.count, maximumOutputRows: max(1, maximumOutputRows),
                              workers: Self.workerCount(attentionWorkers),
                              storage: model.weights.storage, widestInput: model.weights.widestInput,
                              cache: keyValueCache)
        decodeGroups = DecodeGroups.make(weights: model.weights, workspace: workspace)
    }

    /// Bytes a session of `capacity` positions holds once its cache is full (KV cache,
    /// Self-Extend's rotation tables and the workspace with its attention scratch), for
    /// admission against a memory budget; `nil` when the figure overflows `Int`. The same
    /// arguments as ``init(model:capacity:positionEncoding:blockSize:maximumOutputRows:attentionWorkers:keyValueCache:)``
    /// give the same figure as that session's ``byteCount`` when full (a test holds them equal).
    public static func memoryRequirement(model: TransformerModel, capacity: Int, bandCount: Int = 1,
                                         blockSize: Int = 512, maximumOutputRows: Int = 8,
                                         attentionWorkers: Int? = nil, keyValueCache: KVCacheStorage = .f32) -> Int? {
        let c = model.configuration
        // Keys are cached for one band; each other band holds a cos/sin table per position (BandRotations).
        guard let keysAndValues = KVCache.byteCount(configuration: c, capacity: capacity, storage: keyValueCache) else { return nil }
        let (rotations, rotationOverflow) = (max(0, bandCount - 1) * 2 * (c.ropeDimensionCount / 2) * MemoryLayout<Float>.stride)
            .multipliedReportingOverflow(by: capacity)
        let (cache, cacheOverflow) = keysAndValues.addingReportingOverflow(rotations)
        guard !rotationOverflow, !cacheOverflow else { return nil }
        let scratch = Workspace.floatCount(configuration: c, blockSize: max(1, min(blockSize, capacity)),
                                           bandCount: max(1, bandCount), maximumOutputRows: max(1, maximumOutputRows),
                                           workers: workerCount(attentionWorkers), storage: model.weights.storage,
                                           widestInput: model.weights.widestInput, cache: keyValueCache) * MemoryLayout<Float>.stride
        let (total, overflow) = cache.addingReportingOverflow(scratch)
        return overflow ? nil : total
    }

    /// Attention workers a session uses for a requested count.
    static func workerCount(_ requested: Int?) -> Int {
        max(1, min(requested ?? BLAS.threadCount, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// How this session's KV cache holds keys and values.
    public var keyValueCache: KVCacheStorage { cache.storage }

    /// Bytes of KV cache and scratch memory this session holds.
    public var byteCount: Int { cache.byteCount + workspace.byteCount + rotations.byteCount }

    /// Forgets every token (the memory is kept for reuse).
    public func reset() { count = 0 }

    /// Rows processed per prefill block. Prefill that starts at a multiple of it splits a prompt
    /// into the same blocks as one from position 0, so its results are bit-identical.
    public var blockSize: Int { workspace.blockSize }

    /// Forgets tokens after the first `length`, e.g. to reuse a shared prompt prefix.
    public func truncate(to length: Int) {
        count = max(0, min(count, length))
    }

    /// Appends `tokens` and returns the logits that follow the last one (a view
    /// that the next call overwrites).
    @discardableResult
    public func append(_ tokens: [TokenID]) throws(SealModelError) -> Logits {
        guard !tokens.isEmpty else {
            throw SealModelError(.invalidConfiguration(key: "tokens", reason: "at least one token is needed"))
        }
        try admit(tokens)
        var index = 0
        while index < tokens.count {
            let rows = min(workspace.blockSize, tokens.count - index)
            let isLast = index + rows == tokens.count
            tokens.withUnsafeBufferPointer { all in
                forward(UnsafeBufferPointer(rebasing: all[index..<(index + rows)]),
                        outputRows: isLast ? .last : .none)
            }
            index += rows
        }
        return Logits(storage: workspace.logits, count: model.configuration.vocabularySize)
    }

    /// Appends one token (a decode step) and returns the logits that follow it.
    ///
    /// Same as `append([token])` without building an array per step.
    @discardableResult
    public func decode(_ token: TokenID) throws(SealModelError) -> Logits {
        let vocabulary = model.configuration.vocabularySize
        guard token >= 0, Int(token) < vocabulary else {
            throw SealModelError(.invalidToken(id: Int(token), vocabularySize: vocabulary))
        }
        guard count < capacity else {
            throw SealModelError(.contextOverflow(requested: count + 1, limit: capacity))
        }
        withUnsafePointer(to: token) { pointer in
            forward(UnsafeBufferPointer(start: pointer, count: 1), outputRows: .last)
        }
        return Logits(storage: workspace.logits, count: vocabulary)
    }

    /// Appends `tokens` and returns copies of the logits after each requested
    /// index of `tokens` (for tests and training, not the decode loop).
    public func evaluate(_ tokens: [TokenID], logitsAt indices: [Int]) throws(SealModelError) -> [[Float]] {
        try admit(tokens)
        for i in indices where i < 0 || i >= tokens.count {
            throw SealModelError(.invalidConfiguration(key: "logitsAt", reason: "index \(i) is outside 0..<\(tokens.count)"))
        }
        let vocabulary = model.configuration.vocabularySize
        var results = [[Float]](repeating: [], count: indices.count)
        var index = 0
        while index < tokens.count {
            let rows = min(workspace.blockSize, tokens.count - index)
            let wanted = indices.enumerated().filter { $0.element >= index && $0.element < index + rows }
            var done = 0
            repeat {
                // Logits for at most maximumOutputRows rows per pass; rerun the block otherwise.
                let batch = Array(wanted.dropFirst(done).prefix(workspace.maximumOutputRows))
                let start = count
                tokens.withUnsafeBufferPointer { all in
                    forward(UnsafeBufferPointer(rebasing: all[index..<(index + rows)]),
                            outputRows: .list(batch.map { $0.element - index }))
                }
                for (slot, entry) in batch.enumerated() {
                    let row = workspace.logits.pointer + slot * vocabulary
                    results[entry.offset] = Array(UnsafeBufferPointer(start: row, count: vocabulary))
                }
                done += batch.count
                if done < wanted.count { count = start }
            } while done < wanted.count
            index += rows
        }
        return results
    }

    func admit(_ tokens: [TokenID]) throws(SealModelError) {
        let vocabulary = model.configuration.vocabularySize
        for token in tokens where token < 0 || Int(token) >= vocabulary {
            throw SealModelError(.invalidToken(id: Int(token), vocabularySize: vocabulary))
        }
        guard count + tokens.count <= capacity else {
            throw SealModelError(.contextOverflow(requested: count + tokens.count, limit: capacity))
        }
    }
}
