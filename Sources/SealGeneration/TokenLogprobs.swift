import Foundation
import SealTokenizer

/// How likely the model found one token, and the most likely tokens at its place.
///
/// Values are natural logarithms of the softmax of the model's own logits (before
/// temperature, penalties or biases), which is what evaluation harnesses score with.
public struct TokenLogprob: Sendable, Equatable {
    /// One of the most likely tokens at a position.
    public struct Alternative: Sendable, Equatable {
        public var token: TokenID
        public var logprob: Double
        public init(token: TokenID, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    public var token: TokenID
    public var logprob: Double
    /// The most likely tokens, most likely first (ties: lower id first); empty when none were asked for.
    public var top: [Alternative]

    public init(token: TokenID, logprob: Double, top: [Alternative] = []) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}

/// Reads log-probabilities out of a row of logits: a log-softmax in float64 (the
/// maximum subtracted first, so no logit overflows) and the `top` most likely tokens.
///
/// Scratch for the top tokens is sized once; reading a row allocates only the
/// ``TokenLogprob/top`` array the caller keeps.
public struct LogprobReader {
    /// The most alternatives per position a reader keeps (OpenAI allows 5 for
    /// completions and 20 for chat).
    public static let maximumTop = 20

    public let top: Int
    private var bestTokens: [Int32]
    private var bestValues: [Float]

    /// `top` is clamped to `0...maximumTop`.
    public init(top: Int) {
        self.top = max(0, min(top, Self.maximumTop))
        bestTokens = []
        bestTokens.reserveCapacity(self.top + 1)
        bestValues = []
        bestValues.reserveCapacity(self.top + 1)
    }

    /// The log-probability of `chosen` under `logits`, with the top alternatives.
    ///
    /// Throws ``GenerationError/Kind/nonFiniteLogit(token:value:)`` for a NaN or
    /// infinite logit, and ``GenerationError/Kind/invalidParameter(_:_:)`` for a
    /// token outside the row.
    public mutating func read(_ logits: UnsafeBufferPointer<Float>, chosen: TokenID) throws(GenerationError) -> TokenLogprob {
        guard let base = logits.baseAddress, logits.count > 0 else { throw GenerationError(.model("the model produced no logits")) }
        guard chosen >= 0, Int(chosen) < logits.count else {
            throw GenerationError(.invalidParameter("token", "id \(chosen) is outside the vocabulary of \(logits.count)"))
        }
        let n = logits.count
        var maximum = -Float.infinity
        for i in 0..<n {
            let value = base[i]
            guard value.isFinite else { throw GenerationError(.nonFiniteLogit(token: i, value: value)) }
            if value > maximum { maximum = value }
        }
        let shift = Double(maximum)
        var sum = 0.0
        bestTokens.removeAll(keepingCapacity: true)
        bestValues.removeAll(keepingCapacity: true)
        for i in 0..<n {
            let value = base[i]
            sum += Foundation.exp(Double(value) - shift)
            if top > 0 { offer(Int32(i), value) }
        }
        let normaliser = shift + Foundation.log(sum)
        var alternatives: [TokenLogprob.Alternative] = []
        if top > 0 {
            alternatives.reserveCapacity(bestTokens.count)
            for (token, value) in zip(bestTokens, bestValues) {
                alternatives.append(.init(token: TokenID(token), logprob: Double(value) - normaliser))
            }
        }
        return TokenLogprob(token: chosen, logprob: Double(base[Int(chosen)]) - normaliser, top: alternatives)
    }

    /// Keeps the `top` largest values, sorted descending; earlier (lower) ids win ties.
    private mutating func offer(_ token: Int32, _ value: Float) {
        if bestValues.count == top {
            guard let last = bestValues.last, value > last else { return }
            bestValues.removeLast()
            bestTokens.removeLast()
        }
        var position = bestValues.count
        while position > 0 && bestValues[position - 1] < value { position -= 1 }
        bestValues.insert(value, at: position)
        bestTokens.insert(token, at: position)
    }
}
