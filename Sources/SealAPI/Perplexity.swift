import Foundation

/// Parameters of a `perplexity` job: the loaded model's perplexity on a text, computed as
/// `seal-run perplexity` does (llama.cpp's method: chunks of `context` tokens, each scored on its
/// second half), so the figures compare. Checkpointed after every chunk.
public struct PerplexityJobParameters: Codable, Sendable, Equatable {
    /// The text (UTF-8), sent whole; `sealctl perplexity run FILE` reads a file into it.
    public var text: String
    /// Tokens per chunk (default 512); at most the model's trained window.
    public var context: Int?
    /// Score at most this many chunks (default: every whole chunk).
    public var chunks: Int?
    /// KV cache type of the scoring session: "f32" or "f16" (default: the daemon's `model.kv_cache`
    /// for a window of `context`), to measure what the f16 cache costs.
    public var kvCache: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case text, context, chunks, kvCache }

    public init(text: String, context: Int? = nil, chunks: Int? = nil, kvCache: String? = nil) {
        self.text = text
        self.context = context
        self.chunks = chunks
        self.kvCache = kvCache
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        context = try c.decodeIfPresent(Int.self, forKey: .context)
        chunks = try c.decodeIfPresent(Int.self, forKey: .chunks)
        kvCache = try c.decodeIfPresent(String.self, forKey: .kvCache)
    }
}
