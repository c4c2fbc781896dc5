import Foundation
import SealModel
import SealTensor

/// A plain float64 forward pass of a llama-family model, written independently of the engine
/// (token by token, no BLAS, no stacking, no chunking), to take finite differences on.
///
/// It computes the same function as the engine: answer-token cross-entropy with per-channel
/// multipliers on the head outputs before o_proj, RoPE positions from the plan's bands
/// (Self-Extend merges the bands' logits before one softmax).
struct Float64Reference {
    struct Layer {
        let attentionNorm, query, key, value, output, feedForwardNorm, gate, up, down: [Double]
        let queryBias, keyBias, valueBias: [Double]?
    }

    let c: ModelConfiguration
    let plan: PositionEncodingPlan
    let embedding: [Double]
    let lmHead: [Double]
    let outputNorm: [Double]
    let layers: [Layer]

    init(model: TransformerModel, plan: PositionEncodingPlan) {
        func d(_ buffer: FloatBuffer) -> [Double] { buffer.array.map(Double.init) }
        c = model.configuration
        self.plan = plan
        guard let w = model.weights.float32 else { preconditionFailure("the float64 reference reads fp32 weights") }
        embedding = d(w.tokenEmbedding)
        lmHead = d(w.lmHead)
        outputNorm = d(w.outputNorm)
        layers = w.layers.map { l in
            Layer(attentionNorm: d(l.attentionNorm), query: d(l.query), key: d(l.key), value: d(l.value),
                  output: d(l.output), feedForwardNorm: d(l.feedForwardNorm), gate: d(l.gate), up: d(l.up),
                  down: d(l.down), queryBias: l.queryBias.map(d), keyBias: l.keyBias.map(d),
                  valueBias: l.valueBias.map(d))
        }
    }

    /// `W[out, in] · x (+ b)`.
    private func apply(_ w: [Double], _ x: [Double], outputs: Int, bias: [Double]? = nil) -> [Double] {
        let inputs = x.count
        return (0..<outputs).map { o in
            var sum = bias?[o] ?? 0
            for i in 0..<inputs { sum += w[o * inputs + i] * x[i] }
            return sum
        }
    }

    private func rmsNorm(_ x: [Double], _ w: [Double]) -> [Double] {
        let meanSquare = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        let inverse = 1 / (meanSquare + Double(c.rmsNormEpsilon)).squareRoot()
        return zip(x, w).map { $0 * inverse * $1 }
    }

    /// One head vector rotated to `position`.
    private func rotate(_ x: ArraySlice<Double>, position: Int) -> [Double] {
        var y = Array(x)
        let half = plan.inverseFrequencies.count
        for i in 0..<half {
            let angle = Double(position) * plan.inverseFrequencies[i]
            let (cs, sn) = (cos(angle), sin(angle))
            let (a, b) = c.ropeLayout == .interleaved ? (2 * i, 2 * i + 1) : (i, i + half)
            y[a] = x[x.startIndex + a] * cs - x[x.startIndex + b] * sn
            y[b] = x[x.startIndex + a] * sn + x[x.startIndex + b] * cs
        }
        return y
    }

    /// Mean answer cross-entropy (natural log) with `scales[layer][head · hd + channel]`.
    func loss(tokens: [Int32], answerStart: Int, scales: [[Double]]) -> Double {
        let n = tokens.count
        let d = c.modelDimension, hd = c.headDimension
        let factorSquared = plan.attentionFactor * plan.attentionFactor
        var x = tokens.map { Array(embedding[Int($0) * d..<(Int($0) + 1) * d]) }
        for (l, w) in layers.enumerated() {
            let normalized = x.map { rmsNorm($0, w.attentionNorm) }
            let q = normalized.map { apply(w.query, $0, outputs: c.queryDimension, bias: w.queryBias) }
            let k = normalized.map { apply(w.key, $0, outputs: c.keyValueDimension, bias: w.keyBias) }
            let v = normalized.map { apply(w.value, $0, outputs: c.keyValueDimension, bias: w.valueBias) }
            // Rotated heads per band: queries [band][token][head], keys [band][token][kv head].
            let rotatedQueries = plan.bands.map { band in
                (0..<n).map { i in (0..<c.headCount).map { h in rotate(q[i][h * hd..<(h + 1) * hd], position: band.query.apply(i)) } }
            }
            let rotatedKeys = plan.bands.map { band in
                (0..<n).map { j in (0..<c.keyValueHeadCount).map { g in rotate(k[j][g * hd..<(g + 1) * hd], position: band.key.apply(j)) } }
            }
            for i in 0..<n {
                var heads = [Double](repeating: 0, count: c.queryDimension)
                for h in 0..<c.headCount {
                    let g = h / c.queriesPerKeyValueHead
                    var logits = [Double](repeating: 0, count: i + 1)
                    for j in 0...i {
                        guard let b = plan.bands.firstIndex(where: { $0.contains(distance: i - j) }) else { fatalError("plan gap") }
                        let qr = rotatedQueries[b][i][h], kr = rotatedKeys[b][j][g]
                        var dot = 0.0
                        for ch in 0..<hd { dot += qr[ch] * kr[ch] }
                        logits[j] = dot * factorSquared / Double(hd).squareRoot()
                    }
                    let m = logits.max() ?? 0
                    let e = logits.map { exp($0 - m) }
                    let z = e.reduce(0, +)
                    for j in 0...i {
                        for ch in 0..<hd { heads[h * hd + ch] += e[j] / z * v[j][g * hd + ch] }
                    }
                }
                for ch in 0..<c.queryDimension { heads[ch] *= scales[l][ch] }
                let o = apply(w.output, heads, outputs: d)
                for ch in 0..<d { x[i][ch] += o[ch] }
                let n2 = rmsNorm(x[i], w.feedForwardNorm)
                let gate = apply(w.gate, n2, outputs: c.feedForwardDimension)
                let up = apply(w.up, n2, outputs: c.feedForwardDimension)
                let hidden = zip(gate, up).map { $0 / (1 + exp(-$0)) * $1 }
                let down = apply(w.down, hidden, outputs: d)
                for ch in 0..<d { x[i][ch] += down[ch] }
            }
        }
        var total = 0.0
        for i in (answerStart - 1)..<(n - 1) {
            let logits = apply(lmHead, rmsNorm(x[i], outputNorm), outputs: c.vocabularySize)
            let m = logits.max() ?? 0
            let z = logits.reduce(0) { $0 + exp($1 - m) }
            total += log(z) + m - logits[Int(tokens[i + 1])]
        }
        return total / Double(n - answerStart)
    }
}
