import Foundation
import SealModel
import SealPlugins
import SealTestSupport
import Testing

/// Every context-extension plugin's plan (frequencies, attention factor, reach, Self-Extend
/// position maps) equals the published formulas as computed by an independent numpy script
/// (Tools/reference/rope_scaling_reference.py, written by `make_extension_fixtures.py --plans`).
///
/// Tolerance: relative 1e-12 on frequencies and attention factors (libm `pow`/`log` against
/// numpy differ by a few ulp); reach and positions are integers and must be equal.
@Suite("Context-extension plans against the reference formulas")
struct ExtensionPlanFixtureTests {
    struct Fixture: Decodable {
        struct RoPE: Decodable {
            let theta: Double
            let rotary_dims: Int
            let trained_context: Int
        }
        struct Case: Decodable {
            let rope: String
            let method: String
            let parameters: [String: Double]
            let sequence_length: Int
            let inverse_frequencies: [Double]
            let attention_factor: Double
            let effective_context: Int
            let positions: [[Int]]?
        }
        let ropes: [String: RoPE]
        let cases: [Case]
    }

    static let fixture: Fixture? = try? JSONDecoder().decode(
        Fixture.self, from: Data(contentsOf: PackagePaths.root.appendingPathComponent("Tests/Fixtures/parity/rope-plans.json")))

    static let registry = PluginRegistry(directories: [PluginFixtures.builtInDirectory])

    static func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), .leastNormalMagnitude) }

    @Test("Each method's plan matches", arguments: ["linear", "ntk", "dynamic-ntk", "yarn", "llama3", "self-extend"])
    func method(name: String) throws {
        let fixture = try #require(Self.fixture, "Tests/Fixtures/parity/rope-plans.json is missing or malformed")
        let plugin = try Self.registry.contextExtension(named: name)
        let cases = fixture.cases.filter { $0.method == name }
        #expect(cases.count >= 6)
        for testCase in cases {
            let r = try #require(fixture.ropes[testCase.rope])
            let rope = RoPEParameters(theta: r.theta, rotaryDimensions: r.rotary_dims, headDimension: r.rotary_dims,
                                      trainedContextLength: r.trained_context)
            let parameters = testCase.parameters.mapValues { value -> PluginParameterValue in
                value == value.rounded() ? .int(Int64(value)) : .float(value)
            }
            let label = "\(name) \(testCase.parameters) on \(testCase.rope) at \(testCase.sequence_length)"
            let result = try plugin.plan(for: rope, sequenceLength: testCase.sequence_length, parameters: parameters)
            #expect(result.plan.inverseFrequencies.count == testCase.inverse_frequencies.count, "\(label)")
            let worst = zip(result.plan.inverseFrequencies, testCase.inverse_frequencies).map(Self.relativeError).max() ?? 0
            #expect(worst <= 1e-12, "\(label): frequencies off by \(worst) (relative)")
            #expect(Self.relativeError(result.plan.attentionFactor, testCase.attention_factor) <= 1e-12,
                    "\(label): attention factor \(result.plan.attentionFactor) vs \(testCase.attention_factor)")
            #expect(result.effectiveContextLength == testCase.effective_context, "\(label): reach")
            for pair in testCase.positions ?? [] {
                let (i, j) = (pair[0], pair[1])
                let band = try #require(result.plan.bands.first { $0.contains(distance: i - j) })
                let mapped: [Int] = [band.query.apply(i), band.key.apply(j)]
                let expected: [Int] = [pair[2], pair[3]]
                #expect(mapped == expected, "\(label): pair \(i), \(j)")
            }
        }
    }

    /// The fixture must be able to fail: a plan from another method differs from it.
    @Test func methodsAreDistinguishable() throws {
        let fixture = try #require(Self.fixture)
        let yarn = try #require(fixture.cases.first { $0.method == "yarn" && $0.rope == "smollm2" })
        let ntk = try #require(fixture.cases.first { $0.method == "ntk" && $0.rope == "smollm2" })
        #expect(zip(yarn.inverse_frequencies, ntk.inverse_frequencies).contains { Self.relativeError($0, $1) > 1e-3 })
        #expect(yarn.attention_factor > 1.1)
    }
}
