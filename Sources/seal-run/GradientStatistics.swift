import Foundation

/// Consistency of per-sample scale gradients, per channel and per head (a head's gradient is
/// the sum of its channels'), for `seal-run scale-gradients`.
struct GradientStatistics {
    /// Mean gradient over the samples, per channel `[layer · heads · hd]` and per head `[layer · heads]`.
    let channelMeans: [Double]
    let headMeans: [Double]
    /// |mean| / standard error of the mean, per channel and per head.
    let channelT: [Double]
    let headT: [Double]
    /// Mean over samples and heads of |Σ channel gradients| / Σ |channel gradient|: 1 when a
    /// head's channels all pull the same way, about 1/√hd when their signs are random.
    let coherence: Double
    /// Mean |gradient| of a head and of a channel.
    let headMagnitude: Double
    let channelMagnitude: Double

    init(perSample: [[Double]], headDimension: Int) {
        let heads = perSample.map { row in stride(from: 0, to: row.count, by: headDimension).map { row[$0..<($0 + headDimension)].reduce(0, +) } }
        (channelMeans, channelT) = Self.meanAndT(perSample)
        (headMeans, headT) = Self.meanAndT(heads)
        var ratio = 0.0, count = 0
        for row in perSample {
            for start in stride(from: 0, to: row.count, by: headDimension) {
                let slice = row[start..<(start + headDimension)]
                let total = slice.reduce(0) { $0 + abs($1) }
                if total > 0 { ratio += abs(slice.reduce(0, +)) / total; count += 1 }
            }
        }
        coherence = count > 0 ? ratio / Double(count) : 0
        headMagnitude = heads.flatMap { $0 }.reduce(0) { $0 + abs($1) } / Double(max(1, heads.count * (heads.first?.count ?? 0)))
        channelMagnitude = perSample.flatMap { $0 }.reduce(0) { $0 + abs($1) }
            / Double(max(1, perSample.count * (perSample.first?.count ?? 0)))
    }

    private static func meanAndT(_ rows: [[Double]]) -> ([Double], [Double]) {
        let n = Double(rows.count)
        guard let width = rows.first?.count, rows.count >= 2 else { return (rows.first ?? [], []) }
        var means = [Double](repeating: 0, count: width), t = [Double](repeating: 0, count: width)
        for i in 0..<width {
            let mean = rows.reduce(0) { $0 + $1[i] } / n
            let variance = rows.reduce(0) { $0 + ($1[i] - mean) * ($1[i] - mean) } / (n - 1)
            means[i] = mean
            t[i] = variance > 0 ? abs(mean) / (variance / n).squareRoot() : 0
        }
        return (means, t)
    }

    private static func summary(_ t: [Double]) -> String {
        let sorted = t.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let above2 = Double(t.filter { $0 > 2 }.count) / Double(max(1, t.count))
        let above4 = Double(t.filter { $0 > 4 }.count) / Double(max(1, t.count))
        return String(format: "median |t| %.2f, |t| > 2: %.0f%%, |t| > 4: %.0f%%", median, 100 * above2, 100 * above4)
    }

    var table: String {
        [String(format: "gradient magnitude: mean |d loss / d head scale| %.3g, |d loss / d channel scale| %.3g",
                headMagnitude, channelMagnitude),
         String(format: "channels of a head pulling the same way: |sum| / sum |.| = %.3f (1: all agree; ~0.1 random)", coherence),
         "consistency across samples (t of the mean; |t| > 2 is a sign that holds across samples):",
         "  heads (\(headT.count)):     " + Self.summary(headT),
         "  channels (\(channelT.count)): " + Self.summary(channelT)].joined(separator: "\n")
    }
}
