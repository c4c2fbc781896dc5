import Foundation
import SealTensor
import SealTokenizer

/// Chooses tokens from logits: repetition penalty, temperature, top-k, top-p.
///
/// All scratch space is allocated once for the vocabulary, so sampling a
/// token allocates nothing.
public struct Sampler {
    public let parameters: SamplingParameters
    private var random: SeededRandom
    /// Penalised logits; a class buffer so hot loops use a raw pointer without exclusivity checks.
    private let scratch: FloatBuffer
    private var candidates: [Int32]
    private var probabilities: [Double]
    private var heap: MinHeap
    /// `parameters.logitBias` as (token, bias) pairs inside the vocabulary, sorted by token.
    private let bias: [(index: Int, value: Float)]

    public init(parameters: SamplingParameters, vocabularySize: Int) {
        self.parameters = parameters
        random = SeededRandom(seed: parameters.seed ?? UInt64.random(in: .min ... .max))
        scratch = FloatBuffer(count: vocabularySize)
        candidates = []
        candidates.reserveCapacity(vocabularySize)
        probabilities = []
        probabilities.reserveCapacity(vocabularySize)
        // top_k comes from requests: never size anything by more than the vocabulary.
        heap = MinHeap(capacity: max(1, min(parameters.topK, vocabularySize)))
        bias = parameters.logitBias.compactMap { token, value in
            token >= 0 && Int(token) < vocabularySize ? (Int(token), value) : nil
        }.sorted { $0.index < $1.index }
    }

    /// Picks the next token. `recent` is the sequence so far (prompt and output),
    /// of which the last `repetitionWindow` tokens are penalised.
    ///
    /// Throws ``GenerationError/Kind/nonFiniteLogit(token:value:)`` when a logit is
    /// NaN or infinite (a corrupt model makes them): no token can be chosen from those.
    public mutating func sample(_ logits: UnsafeBufferPointer<Float>,
                                recent: ArraySlice<TokenID> = []) throws(GenerationError) -> TokenID {
        let n = min(logits.count, scratch.count)
        let p = parameters
        guard let base = logits.baseAddress, n > 0 else { throw GenerationError(.model("the model produced no logits")) }
        let v = scratch.pointer
        for i in 0..<n {
            let value = base[i]
            guard value.isFinite else { throw GenerationError(.nonFiniteLogit(token: i, value: value)) }
            v[i] = value
        }
        if p.repetitionPenalty != 1 {
            for token in recent.suffix(p.repetitionWindow) where token >= 0 && Int(token) < n {
                let i = Int(token)
                v[i] = v[i] > 0 ? v[i] / p.repetitionPenalty : v[i] * p.repetitionPenalty
            }
        }
        for (i, value) in bias where i < n { v[i] += value }
        if p.temperature == 0 || p.topK == 1 {
            return TokenID(Kernels.argmax(v, count: n).index)
        }
        selectCandidates(v, count: n)
        return draw(v)
    }

    /// Fills `candidates` with the top-k token ids, most likely first.
    private mutating func selectCandidates(_ v: UnsafeMutablePointer<Float>, count n: Int) {
        candidates.removeAll(keepingCapacity: true)
        let k = parameters.topK > 0 ? min(parameters.topK, n) : n
        if k < n {
            // Threshold by the k-th largest value found with a bounded min-heap.
            heap.reset()
            for i in 0..<n { heap.offer(v[i]) }
            let threshold = heap.minimum
            for i in 0..<n where v[i] >= threshold { candidates.append(Int32(i)) }
        } else {
            for i in 0..<n { candidates.append(Int32(i)) }
        }
        candidates.sort { v[Int($0)] > v[Int($1)] || (v[Int($0)] == v[Int($1)] && $0 < $1) }
        if candidates.count > k { candidates.removeLast(candidates.count - k) }
    }

    /// Softmax over the candidates at the temperature, top-p cut, then a draw.
    private mutating func draw(_ v: UnsafeMutablePointer<Float>) -> TokenID {
        guard let first = candidates.first else { return 0 }  // unreachable: n > 0 and all logits finite
        let t = Double(parameters.temperature)
        let top = Double(v[Int(first)])
        probabilities.removeAll(keepingCapacity: true)
        var total = 0.0
        for id in candidates {
            let e = Foundation.exp((Double(v[Int(id)]) - top) / t)
            probabilities.append(e)
            total += e
        }
        var kept = probabilities.count
        if parameters.topP < 1 {
            var cumulative = 0.0
            for i in 0..<probabilities.count {
                cumulative += probabilities[i] / total
                if cumulative >= Double(parameters.topP) {
                    kept = i + 1
                    break
                }
            }
        }
        kept = max(1, kept)
        let mass = probabilities[0..<kept].reduce(0, +)
        var target = random.unitFloat() * mass
        for i in 0..<kept {
            target -= probabilities[i]
            if target < 0 { return TokenID(candidates[i]) }
        }
        return TokenID(candidates[kept - 1])
    }
}

/// A fixed-capacity min-heap of floats, for top-k thresholds without sorting the vocabulary.
struct MinHeap {
    private var items: [Float]
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        items = []
        items.reserveCapacity(self.capacity)
    }

    var minimum: Float { items.first ?? -.infinity }

    mutating func reset() { items.removeAll(keepingCapacity: true) }

    mutating func offer(_ value: Float) {
        if items.count < capacity {
            items.append(value)
            var i = items.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if items[parent] <= items[i] { break }
                items.swapAt(parent, i)
                i = parent
            }
        } else if value > items[0] {
            items[0] = value
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count && items[l] < items[smallest] { smallest = l }
                if r < items.count && items[r] < items[smallest] { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
    }
}
