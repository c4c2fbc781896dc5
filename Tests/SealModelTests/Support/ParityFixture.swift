import Foundation

/// Logits and greedy continuations computed by Tools/reference/make_parity_fixtures.py
/// (numpy float64 over gguf-py's dequantizer), the independent reference.
struct ParityFixture: Decodable {
    struct Logits: Decodable {
        /// `[id, logit]` pairs, largest first.
        let top: [[Double]]
        let probe_ids: [Int]
        let probe_logits: [Double]
    }

    struct Case: Decodable {
        let name: String
        let tokens: [Int32]
        let positions: [Int]
        let logits: [String: Logits]
        let greedy: [Int32]?
        let greedy_min_margin: Double?
    }

    let model: String
    let max_abs_logit: Double
    let float32_noise_max_abs: Double
    let cases: [Case]

    static func load(_ name: String) throws -> ParityFixture {
        let data = try Data(contentsOf: TestPaths.fixture("parity/\(name)"))
        return try JSONDecoder().decode(ParityFixture.self, from: data)
    }
}

/// Largest |a - b| over the probed ids and the reference's top entries.
func maximumDeviation(_ logits: [Float], from reference: ParityFixture.Logits) -> Double {
    var worst = 0.0
    for (id, expected) in zip(reference.probe_ids, reference.probe_logits) {
        worst = max(worst, abs(Double(logits[id]) - expected))
    }
    for entry in reference.top where entry.count == 2 {
        worst = max(worst, abs(Double(logits[Int(entry[0])]) - entry[1]))
    }
    return worst
}
