import Foundation
import Synchronization
import SealAPI
import SealGeneration
import SealModel

/// A perplexity run handed from one compute call to the next (one chunk each, so the job can
/// checkpoint and be cancelled between chunks); the lock makes the hand-over safe.
final class PerplexityRunBox: Sendable {
    private let run: Mutex<PerplexityRun>

    init(_ run: consuming sending PerplexityRun) { self.run = Mutex(run) }

    var chunkCount: Int { run.withLock { $0.chunkCount } }
    var isFinished: Bool { run.withLock { $0.isFinished } }
    var estimate: PerplexityRun.Estimate { run.withLock { $0.estimate } }

    func restore(_ tally: PerplexityRun.Tally) throws(GenerationError) {
        try run.withLock { (run: inout PerplexityRun) throws(GenerationError) in try run.restore(tally) }
    }

    /// Scores the next chunk; returns the estimate and the checkpoint after it.
    func scoreNextChunk() throws(GenerationError) -> (PerplexityRun.Estimate, PerplexityRun.Tally) {
        try run.withLock { (run: inout PerplexityRun) throws(GenerationError) in (try run.scoreNextChunk(), run.tally) }
    }
}

extension JobRunner {
    /// Bounds on a perplexity request (the text is tokenized whole, the chunk sizes a session).
    enum PerplexityLimits {
        static let textBytes = 1 << 20  // the request body limit's default
        static let defaultContext = 512
    }

    func validatePerplexity(_ p: PerplexityJobParameters) async throws {
        guard !p.text.isEmpty, p.text.utf8.count <= PerplexityLimits.textBytes else {
            throw ServiceError.badRequest("perplexity.text must hold 1 to \(PerplexityLimits.textBytes) bytes of UTF-8 text, got \(p.text.utf8.count)")
        }
        let loaded = try await host.currentOrLoading()
        let window = loaded.model.configuration.trainedContextLength
        let context = p.context ?? PerplexityLimits.defaultContext
        guard (PerplexityRun.minimumContext...max(PerplexityRun.minimumContext, window)).contains(context) else {
            throw ServiceError.badRequest("perplexity.context must be in \(PerplexityRun.minimumContext)...\(window) (the model's trained window), got \(context)")
        }
        if let chunks = p.chunks, chunks < 1 {
            throw ServiceError.badRequest("perplexity.chunks must be at least 1, got \(chunks)")
        }
        _ = try Self.keyValueCache(p, loaded: loaded, context: context)
    }

    /// The request's KV cache type, or the daemon's policy for a window of `context`.
    static func keyValueCache(_ p: PerplexityJobParameters, loaded: ModelHost.Loaded, context: Int) throws(ServiceError) -> KVCacheStorage {
        guard let name = p.kvCache else { return loaded.keyValueCache(capacity: context) }
        guard let cache = KVCacheStorage(rawValue: name) else {
            throw .badRequest("perplexity.kv_cache must be one of \(KVCacheStorage.spellings), got '\(name)'")
        }
        return cache
    }

    func perplexity(_ job: Job, _ p: PerplexityJobParameters, cancellation: CancellationFlag,
                    progress: @escaping @Sendable (JobProgress) -> Void) async throws -> JobOutcome {
        let loaded = try await host.currentOrLoading()
        let context = p.context ?? PerplexityLimits.defaultContext
        let cache = try Self.keyValueCache(p, loaded: loaded, context: context)
        let model = loaded.model, text = p.text
        let configuration = PerplexityRun.Configuration(context: context, maximumChunks: p.chunks, keyValueCache: cache)
        let (box, tokens): (PerplexityRunBox, Int)
        do {
            (box, tokens) = try await Compute.run(name: "seal-job") { () throws -> (PerplexityRunBox, Int) in
                let ids = model.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: false)
                return (PerplexityRunBox(try PerplexityRun(model: model, tokens: ids, configuration: configuration)), ids.count)
            }
            if let tally = await store.checkpoint(PerplexityRun.Tally.self, job: job.id) {
                try box.restore(tally)
                logger.notice("resuming perplexity job at chunk \(tally.chunksDone + 1) of \(box.chunkCount)", metadata: ["job": "\(job.id)"])
            }
        } catch let error as GenerationError {
            return .failed(error.description)
        }
        let total = box.chunkCount, first = box.estimate.chunks, started = Date()
        progress(JobProgress(completed: first, total: total,
                             message: "\(tokens) tokens: \(total) chunks of \(context), KV cache \(cache.rawValue)"))
        while !box.isFinished {
            if cancellation.isCancelled { return .cancelled }
            let (estimate, tally): (PerplexityRun.Estimate, PerplexityRun.Tally)
            do {
                (estimate, tally) = try await Compute.run(name: "seal-job") { try box.scoreNextChunk() }
            } catch let error as GenerationError {
                return .failed(error.description)
            }
            try await store.saveCheckpoint(tally, job: job.id)
            let eta = Date().timeIntervalSince(started) / Double(estimate.chunks - first) * Double(total - estimate.chunks)
            progress(JobProgress(completed: estimate.chunks, total: total,
                                 message: String(format: "PPL %.4f", estimate.perplexity)
                                    + (estimate.standardError.map { String(format: " +/- %.4f", $0) } ?? ""),
                                 etaSeconds: eta))
        }
        let e = box.estimate
        let error = e.standardError.map { String(format: " +/- %.5f", $0) } ?? ""
        return .succeeded(artifacts: [], summary: String(format: "PPL = %.4f%@ (%d chunks of %d tokens, %d scored; KV cache %@)",
                                                         e.perplexity, error, e.chunks, context, e.scoredTokens, cache.rawValue))
    }
}
