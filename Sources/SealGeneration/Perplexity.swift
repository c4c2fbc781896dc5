import Foundation
import SealModel
import SealTokenizer

/// Perplexity of a model on a text, computed the way llama.cpp's `perplexity` tool does, so
/// that figures from the two are comparable.
///
/// The token stream (the whole text, tokenized once) is cut into `tokens.count / context`
/// whole chunks; a trailing partial chunk is dropped. Each chunk is evaluated from an empty
/// cache, its first token replaced by BOS when the tokenizer adds one. Only the second half
/// of each chunk is scored: the logits at positions `context/2 ..< context-1` predict the
/// tokens one further on, so every scored token sees at least `context/2` tokens of context.
/// The estimate's standard error is that of the mean negative log-likelihood over the scored
/// tokens, carried through `exp` (`ppl * sqrt(var(nll) / (n - 1))`), as llama.cpp reports it.
public struct PerplexityRun {
    /// How the text is cut and scored.
    public struct Configuration: Sendable {
        /// Tokens per chunk (llama.cpp's `-c`); the second half of each chunk is scored.
        public var context: Int
        /// Score at most this many chunks (the first ones); `nil` scores them all.
        public var maximumChunks: Int?
        /// How the session's KV cache holds keys and values (the quality cost of f16 is what this measures).
        public var keyValueCache: KVCacheStorage
        /// Positions of each chunk: plain RoPE, or a context-extension method, whose reach then
        /// bounds `context` instead of the trained window (how well a method holds the model past
        /// its window is what a perplexity at a long context measures).
        public var positionEncoding: any PositionEncoding

        public init(context: Int = 512, maximumChunks: Int? = nil, keyValueCache: KVCacheStorage = .f32,
                    positionEncoding: any PositionEncoding = StandardRoPE()) {
            self.context = context
            self.maximumChunks = maximumChunks
            self.keyValueCache = keyValueCache
            self.positionEncoding = positionEncoding
        }
    }

    /// The running result after some chunks.
    public struct Estimate: Sendable, Codable, Equatable {
        public var chunks: Int
        public var scoredTokens: Int
        /// Mean negative log-likelihood per scored token, in nats.
        public var meanNegativeLogLikelihood: Double
        public var perplexity: Double
        /// One standard error of `perplexity`; `nil` until two tokens are scored.
        public var standardError: Double?
    }

    /// Smallest chunk: half of it is context, the other half is scored.
    public static let minimumContext = 16

    public let model: LanguageModel
    public let configuration: Configuration
    /// Whole chunks this run scores.
    public let chunkCount: Int
    private let tokens: [TokenID]
    private let session: InferenceSession
    private var sum = 0.0, sumOfSquares = 0.0, count = 0
    private var reader = LogprobReader(top: 0)
    public private(set) var chunksDone = 0

    public init(model: LanguageModel, tokens: [TokenID], configuration: Configuration = .init()) throws(GenerationError) {
        let context = configuration.context
        let window = configuration.positionEncoding.effectiveContextLength(for: model.transformer.ropeParameters)
        guard (Self.minimumContext...max(Self.minimumContext, window)).contains(context) else {
            throw GenerationError(.invalidParameter("context", "must be in \(Self.minimumContext)...\(window) "
                + "(the positions \(configuration.positionEncoding.name) reaches on this model), got \(context)"))
        }
        let available = tokens.count / context
        guard available >= 1 else {
            throw GenerationError(.invalidParameter(
                "text", "has \(tokens.count) tokens, fewer than one chunk of \(context); use a longer text or a smaller context"))
        }
        if let most = configuration.maximumChunks, most < 1 {
            throw GenerationError(.invalidParameter("chunks", "must be at least 1, got \(most)"))
        }
        self.model = model
        self.configuration = configuration
        self.tokens = tokens
        chunkCount = min(available, configuration.maximumChunks ?? available)
        do {
            let scored = context - 1 - context / 2
            session = try InferenceSession(model: model.transformer, capacity: context,
                                           positionEncoding: configuration.positionEncoding,
                                           blockSize: min(512, context), maximumOutputRows: min(512, scored),
                                           keyValueCache: configuration.keyValueCache)
        } catch {
            throw GenerationError(error)
        }
    }

    public var isFinished: Bool { chunksDone >= chunkCount }

    /// Scores the next chunk and returns the estimate over every chunk so far.
    public mutating func scoreNextChunk() throws(GenerationError) -> Estimate {
        guard !isFinished else { return estimate }
        let context = configuration.context
        let start = chunksDone * context
        var chunk = Array(tokens[start..<(start + context)])
        if model.tokenizer.addsBOS, let bos = model.tokenizer.bosTokenID { chunk[0] = bos }
        let first = context / 2
        let positions = Array(first..<(context - 1))
        session.reset()
        let rows: [[Float]]
        do { rows = try session.evaluate(chunk, logitsAt: positions) } catch { throw GenerationError(error) }
        for (position, row) in zip(positions, rows) {
            // -log softmax(row)[next token], through the same float64 log-softmax as API logprobs.
            let read = try row.withUnsafeBufferPointer { (logits) throws(GenerationError) -> TokenLogprob in
                try reader.read(logits, chosen: chunk[position + 1])
            }
            let nll = -read.logprob
            sum += nll
            sumOfSquares += nll * nll
            count += 1
        }
        chunksDone += 1
        return estimate
    }

    /// What a run has accumulated after whole chunks: a checkpoint, from which a run over the
    /// same tokens and configuration continues at the next chunk with the same result.
    public struct Tally: Codable, Sendable, Equatable {
        public var chunksDone: Int
        public var scoredTokens: Int
        public var sum: Double
        public var sumOfSquares: Double
    }

    public var tally: Tally { Tally(chunksDone: chunksDone, scoredTokens: count, sum: sum, sumOfSquares: sumOfSquares) }

    /// Continues from `tally` (a checkpoint of a run over the same text and configuration).
    public mutating func restore(_ tally: Tally) throws(GenerationError) {
        let scored = configuration.context - 1 - configuration.context / 2
        guard (0...chunkCount).contains(tally.chunksDone), tally.scoredTokens == tally.chunksDone * scored,
              tally.sum.isFinite, tally.sumOfSquares.isFinite else {
            throw GenerationError(.invalidParameter("checkpoint", "does not match this text and context; start again"))
        }
        chunksDone = tally.chunksDone
        count = tally.scoredTokens
        sum = tally.sum
        sumOfSquares = tally.sumOfSquares
    }

    /// The estimate over the chunks scored so far.
    public var estimate: Estimate {
        guard count > 0 else {
            return Estimate(chunks: 0, scoredTokens: 0, meanNegativeLogLikelihood: .nan, perplexity: .nan, standardError: nil)
        }
        let n = Double(count)
        let mean = sum / n
        let variance = sumOfSquares / n - mean * mean
        let perplexity = exp(mean)
        let error = count > 1 && variance > 0 ? perplexity * (variance / (n - 1)).squareRoot() : nil
        return Estimate(chunks: chunksDone, scoredTokens: count, meanNegativeLogLikelihood: mean,
                        perplexity: perplexity, standardError: error)
    }
}
