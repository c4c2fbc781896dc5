import Foundation
import SealModel
import SealPlugins
import SealTokenizer
import Testing

/// Linear position interpolation through the plugin equals dividing the frequencies by hand.
@Suite("Linear interpolation plugin")
struct LinearPluginTests {
    static let smolRoPE = RoPEParameters(theta: 100_000, rotaryDimensions: 64, headDimension: 64,
                                         trainedContextLength: 8192)

    static func plugin() throws -> ContextExtensionPlugin {
        try PluginRegistry(directories: [PluginFixtures.builtInDirectory]).contextExtension(named: "linear")
    }

    @Test func planDividesTheBaseFrequenciesByTheFactor() throws {
        let rope = Self.smolRoPE
        let result = try Self.plugin().plan(for: rope, sequenceLength: 32_768, parameters: ["factor": 4.0])
        #expect(result.plan.inverseFrequencies == rope.baseInverseFrequencies.map { $0 / 4 })
        #expect(result.plan.attentionFactor == 1)
        #expect(result.plan.bands == [.all])
        #expect(result.effectiveContextLength == 4 * 8192)
        #expect(result.label == "linear x4")
    }

    @Test func automaticFactorFollowsTheRequestedLength() throws {
        let rope = Self.smolRoPE
        let plugin = try Self.plugin()
        let longer = try plugin.plan(for: rope, sequenceLength: 20_000)
        #expect(longer.plan.inverseFrequencies == rope.baseInverseFrequencies.map { $0 / (20_000.0 / 8192.0) })
        #expect(longer.effectiveContextLength == 20_000)
        // Within the trained window nothing changes.
        let shorter = try plugin.plan(for: rope, sequenceLength: 4000)
        #expect(shorter.plan.inverseFrequencies == rope.baseInverseFrequencies)
        #expect(shorter.effectiveContextLength == 8192)
    }

    @Test func theEncodingReportsTheReachForItsTarget() throws {
        let plugin = try Self.plugin()
        #expect(try plugin.positionEncoding(parameters: ["factor": 2]).effectiveContextLength(for: Self.smolRoPE) == 16_384)
        #expect(try plugin.positionEncoding(targetLength: 30_000).effectiveContextLength(for: Self.smolRoPE) == 30_000)
        #expect(try plugin.positionEncoding().effectiveContextLength(for: Self.smolRoPE) == 8192)
        #expect(try plugin.positionEncoding(parameters: ["factor": 2]).name == "linear(factor=2)")
    }

    @Test func aFactorBelowOneIsRefusedByThePluginWithItsMessage() throws {
        #expect { try Self.plugin().plan(for: Self.smolRoPE, sequenceLength: 100, parameters: ["factor": 0.5]) } throws: { error in
            guard case .pluginFailed(let plugin, let operation, let status, let message) = error as? PluginError else { return false }
            return plugin == "linear" && operation == "plan" && status == 1 && message.contains("at least 1")
        }
        #expect(throws: PluginError.self) { try Self.plugin().positionEncoding(parameters: ["factor": 2000.0]) }
    }

    /// The reference: plain RoPE with every frequency divided by `factor`.
    struct DividedRoPE: PositionEncoding {
        var factor: Double
        var name: String { "divided" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies.map { $0 / factor })
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int {
            Int(Double(rope.trainedContextLength) * factor)
        }
    }

    @Test func inASessionItEqualsDividingTheFrequenciesByHand() throws {
        let model = try TinyModel.load().transformer
        let encoding = try Self.plugin().positionEncoding(parameters: ["factor": 2.0])
        let window = 2 * TinyModel.contextLength
        let tokens: [TokenID] = (0..<100).map { TokenID(3 + ($0 * 37) % 250) }

        let viaPlugin = try InferenceSession(model: model, positionEncoding: encoding, blockSize: 32)
        let byHand = try InferenceSession(model: model, positionEncoding: DividedRoPE(factor: 2), blockSize: 32)
        #expect(viaPlugin.capacity == window)
        #expect(viaPlugin.plan == byHand.plan)
        let pluginLogits = Array(try viaPlugin.append(tokens))
        let handLogits = Array(try byHand.append(tokens))
        #expect(zip(pluginLogits, handLogits).allSatisfy { abs($0 - $1) <= 1e-6 })

        // Sanity: the factor matters, and plain RoPE cannot hold 100 tokens of this model.
        let short = Array(tokens.prefix(50))
        let plain = Array(try InferenceSession(model: model).append(short))
        let stretched = Array(try InferenceSession(model: model, positionEncoding: encoding).append(short))
        #expect(zip(plain, stretched).map { abs($0 - $1) }.max() ?? 0 > 1e-4)
        #expect(throws: SealModelError.self) { try InferenceSession(model: model, capacity: 100) }
    }

    @Test func automaticFactorInASessionSizesItselfToTheTarget() throws {
        let model = try TinyModel.load().transformer
        let encoding = try Self.plugin().positionEncoding(targetLength: 96)
        let session = try InferenceSession(model: model, positionEncoding: encoding)
        #expect(session.capacity == 96)
        #expect(session.plan.inverseFrequencies == model.ropeParameters.baseInverseFrequencies.map { $0 / 1.5 })
    }
}
