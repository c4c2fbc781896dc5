import Foundation
import SealModel
import SealTensor
import Testing

/// Self-Extend, linear interpolation, the YaRN attention factor and SEAL head
/// scales against the numpy reference (Tools/reference/make_extension_fixtures.py,
/// which checks its Self-Extend against a second, query-by-query implementation).
///
/// Tolerances: tinycoder logits are below 0.4, so 2e-6 absolute (fp32 noise in
/// numpy 7e-8; the smallest effect of a variation is 1.1e-4). SmolLM2 uses the
/// same bound as the plain parity test.
@Suite("Context extension and head scales against the numpy reference")
struct ExtensionParityTests {
    struct Fixture: Decodable {
        struct Variation: Decodable {
            let kind: String
            let group: Int?
            let window: Int?
            let scale: Double?
            let factor: Double?
        }
        struct Case: Decodable {
            let name: String
            let model: String
            let variation: Variation
            let tokens: [Int32]
            let positions: [Int]
            let logits: [String: ParityFixture.Logits]
            let max_abs_logit: Double
        }
        let cases: [Case]
    }

    /// Self-Extend as two bands: neighbours keep their positions; distances >= W
    /// use key j / G and query i / G + W - W / G.
    struct SelfExtend: PositionEncoding {
        let group: Int
        let window: Int
        var name: String { "self-extend G=\(group) W=\(window)" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies, bands: PositionBand.selfExtend(group: group, window: window))
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int { rope.trainedContextLength }
    }

    /// Frequencies divided by `scale` and/or logits sharpened by `factor²`.
    struct ScaledRoPE: PositionEncoding {
        var scale = 1.0
        var factor = 1.0
        var name: String { "scaled" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies.map { $0 / scale }, attentionFactor: factor)
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int { rope.trainedContextLength }
    }

    static func headScales(_ c: ModelConfiguration) -> HeadScales {
        HeadScales(layers: (0..<c.layerCount).map { l in
            (0..<c.queryDimension).map { k in
                let h = Double(k / c.headDimension), ch = Double(k % c.headDimension)
                return Float(1 + 0.5 * sin(0.7 * Double(l) + 1.3 * h + 0.11 * ch))
            }
        })
    }

    @Test("Each variation matches the reference",
          arguments: ["tinycoder-self-extend-g2-w4", "tinycoder-head-scales", "tinycoder-attention-factor",
                      "smollm2-self-extend-g4-w32", "smollm2-linear-s2", "smollm2-head-scales"])
    func variation(name: String) throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestPaths.fixture("parity/extensions.json")))
        let testCase = try #require(fixture.cases.first { $0.name == name })
        let url = try #require(TestPaths.model(testCase.model), "run scripts/fetch-models.sh")
        var model = try LanguageModel.load(from: url).transformer
        var encoding: any PositionEncoding = StandardRoPE()
        switch testCase.variation.kind {
        case "self_extend":
            encoding = SelfExtend(group: try #require(testCase.variation.group), window: try #require(testCase.variation.window))
        case "linear":
            encoding = ScaledRoPE(scale: try #require(testCase.variation.scale))
        case "attention_factor":
            encoding = ScaledRoPE(factor: try #require(testCase.variation.factor))
        case "head_scales":
            model = try model.applying(Self.headScales(model.configuration), mode: .folded)
        default:
            Issue.record("unknown variation \(testCase.variation.kind)")
            return
        }
        let tolerance = testCase.model.hasPrefix("tinycoder") ? 2e-6 : ParityTests.tolerance(maxAbsLogit: testCase.max_abs_logit)
        for blockSize in [256, 64, 5] {
            let session = try InferenceSession(model: model, capacity: testCase.tokens.count, positionEncoding: encoding,
                                               blockSize: blockSize)
            let rows = try session.evaluate(testCase.tokens, logitsAt: testCase.positions)
            for (position, row) in zip(testCase.positions, rows) {
                let reference = try #require(testCase.logits[String(position)])
                let deviation = maximumDeviation(row, from: reference)
                #expect(deviation <= tolerance, "\(name) block \(blockSize) @\(position): max |Δ| \(deviation) > \(tolerance)")
            }
        }
    }

    /// Self-Extend with the KV cache: feeding the prompt one token at a time (the decode
    /// path, a single query over all cached keys, the neighbour band being the last W keys)
    /// gives the reference logits too.
    @Test("Self-Extend decoded token by token matches the reference",
          arguments: ["tinycoder-self-extend-g2-w4", "smollm2-self-extend-g4-w32"])
    func selfExtendTokenByToken(name: String) throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestPaths.fixture("parity/extensions.json")))
        let testCase = try #require(fixture.cases.first { $0.name == name })
        let url = try #require(TestPaths.model(testCase.model), "run scripts/fetch-models.sh")
        let model = try LanguageModel.load(from: url).transformer
        let encoding = SelfExtend(group: try #require(testCase.variation.group), window: try #require(testCase.variation.window))
        let tolerance = testCase.model.hasPrefix("tinycoder") ? 2e-6 : ParityTests.tolerance(maxAbsLogit: testCase.max_abs_logit)
        let session = try InferenceSession(model: model, capacity: testCase.tokens.count, positionEncoding: encoding)
        for (index, token) in testCase.tokens.enumerated() {
            let row = Array(try session.decode(token))
            guard let reference = testCase.logits[String(index)] else { continue }
            let deviation = maximumDeviation(row, from: reference)
            #expect(deviation <= tolerance, "\(name) decode @\(index): max |Δ| \(deviation) > \(tolerance)")
        }
    }
}
