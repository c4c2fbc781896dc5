import SealTensor

/// Scratch for a decode step's fused attention under a plan of several bands (Self-Extend).
///
/// The cache holds keys rotated for one band; a derived band's keys (Self-Extend's neighbours,
/// at most W of them) are turned into its positions a piece at a time, with their values beside
/// them in fp32, so the fused kernel reads them as an fp32 cache. Each band's call gives a
/// normalised output and its log-sum-exp, folded into one softmax over all keys. Sized once per
/// session: nothing is allocated per token.
final class DecodeBandScratch {
    /// Derived keys turned per call at most: the kernel's smallest chunk, so a piece is one part
    /// per KV head.
    static let pieceKeys = 512

    /// The band's rotated queries `[q]`.
    let queries: FloatBuffer
    /// One call's output `[q]` and log-sum-exp `[heads]`, and the running log-sum-exp `[heads]`.
    let partOutput: FloatBuffer
    let partLogSumExp: FloatBuffer
    let logSumExp: FloatBuffer
    /// A piece of derived keys and their values, `[kvHeads][pieceKeys][hd]` each.
    let keys: FloatBuffer
    let values: FloatBuffer

    static func floatCount(_ c: ModelConfiguration) -> Int {
        2 * c.queryDimension + 2 * c.headCount + 2 * c.keyValueHeadCount * pieceKeys * c.headDimension
    }

    init(_ c: ModelConfiguration) {
        queries = FloatBuffer(count: c.queryDimension)
        partOutput = FloatBuffer(count: c.queryDimension)
        partLogSumExp = FloatBuffer(count: c.headCount)
        logSumExp = FloatBuffer(count: c.headCount)
        keys = FloatBuffer(count: c.keyValueHeadCount * Self.pieceKeys * c.headDimension)
        values = FloatBuffer(count: c.keyValueHeadCount * Self.pieceKeys * c.headDimension)
    }

    var byteCount: Int { [queries, partOutput, partLogSumExp, logSumExp, keys, values].reduce(0) { $0 + $1.byteCount } }
}
