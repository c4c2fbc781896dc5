import Foundation

/// How consistent per-sample scale gradients are, per channel and per head (a head's gradient is
/// the sum of its channels'), so a strategy that does not learn can be told apart from one that
/// has no direction to learn (`seal-run scale-gradients`).
///
/// A parameter whose gradient keeps its sign across samples has a |t| (mean over its standard
/// error) well above 2; pure noise over n samples gives |t| > 2 for about 5-10% of parameters.
/// Coherence says whether a head's channels pull together (1) or cancel (about 1/√hd for random
/// signs): a head-wise scale only sees what survives that cancellation.
public struct GradientStatistics: Sendable, Equatable {
    /// Mean gradient over the samples, per channel `[layer · heads · hd]` and per head `[layer · heads]`.
    public let channelMeans: [Double]
    public let headMeans: [Double]
    /// |mean| / standard error of the mean, per channel and per head; 0 where the variance is 0.
    /// Empty with fewer than two samples.
    public let channelT: [Double]
    public let headT: [Double]
    /// Mean over samples and heads of |Σ channel gradients| / Σ |channel gradients|.
    public let coherence: Double
    /// Mean |gradient| of a head and of a channel.
    public let headMagnitude: Double
    public let channelMagnitude: Double

    /// - Parameters:
    ///   - perSample: one row per sample, every channel's gradient, all rows of one width.
    ///   - headDimension: channels per head; must divide the width.
    public init(perSample: [[Double]], headDimension: Int) throws {
        guard let width = perSample.first?.count, width > 0 else {
            throw SealTuningError(.invalidGradient(reason: "gradient statistics need at least one sample with gradients"))
        }
        guard headDimension > 0, width % headDimension == 0, perSample.allSatisfy({ $0.count == width }) else {
            throw SealTuningError(.invalidGradient(
                reason: "gradient rows must share one width that the head dimension \(headDimension) divides (first row \(width))"))
        }
        let heads = perSample.map { row in
            stride(from: 0, to: width, by: headDimension).map { row[$0..<($0 + headDimension)].reduce(0, +) }
        }
        (channelMeans, channelT) = Self.meanAndT(perSample)
        (headMeans, headT) = Self.meanAndT(heads)
        var ratio = 0.0, count = 0
        for row in perSample {
            for start in stride(from: 0, to: width, by: headDimension) {
                let slice = row[start..<(start + headDimension)]
                let total = slice.reduce(0) { $0 + abs($1) }
                if total > 0 { ratio += abs(slice.reduce(0, +)) / total; count += 1 }
            }
        }
        coherence = count > 0 ? ratio / Double(count) : 0
        headMagnitude = Self.meanMagnitude(heads)
        channelMagnitude = Self.meanMagnitude(perSample)
    }

    private static func meanMagnitude(_ rows: [[Double]]) -> Double {
        let values = rows.joined()
        return values.reduce(0) { $0 + abs($1) } / Double(max(1, values.count))
    }

    private static func meanAndT(_ rows: [[Double]]) -> ([Double], [Double]) {
        guard let width = rows.first?.count else { return ([], []) }
        let n = Double(rows.count)
        let means = (0..<width).map { i in rows.reduce(0) { $0 + $1[i] } / n }
        guard rows.count >= 2 else { return (means, []) }
        let t = (0..<width).map { i -> Double in
            let variance = rows.reduce(0) { $0 + ($1[i] - means[i]) * ($1[i] - means[i]) } / (n - 1)
            return variance > 0 ? abs(means[i]) / (variance / n).squareRoot() : 0
        }
        return (means, t)
    }

    /// Median |t| and the shares above 2 and 4, as one line.
    public static func summary(_ t: [Double]) -> String {
        let sorted = t.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let above2 = Double(t.filter { $0 > 2 }.count) / Double(max(1, t.count))
        let above4 = Double(t.filter { $0 > 4 }.count) / Double(max(1, t.count))
        return String(format: "median |t| %.2f, |t| > 2: %.0f%%, |t| > 4: %.0f%%", median, 100 * above2, 100 * above4)
    }

    /// The report `seal-run scale-gradients` prints.
    public var table: String {
        [String(format: "gradient magnitude: mean |d loss / d head scale| %.3g, |d loss / d channel scale| %.3g",
                headMagnitude, channelMagnitude),
         String(format: "channels of a head pulling the same way: |sum| / sum |.| = %.3f (1: all agree; ~0.1 random)", coherence),
         "consistency across samples (t of the mean; |t| > 2 is a sign that holds across samples):",
         "  heads (\(headT.count)):     " + Self.summary(headT),
         "  channels (\(channelT.count)): " + Self.summary(channelT)].joined(separator: "\n")
    }
}
