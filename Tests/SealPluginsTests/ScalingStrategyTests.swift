import Foundation
import SealModel
import SealPlugins
import Testing

/// Scaling layouts: SEAL-H from the built-in plugin, SEAL-C from a plugin compiled here.
@Suite("Scaling-strategy plugins")
struct ScalingStrategyTests {
    /// SmolLM2-135M's attention shape: 30 layers, 9 query heads, 3 KV heads, head dimension 64.
    static let smolLM2 = ModelConfiguration(
        layerCount: 30, modelDimension: 576, headCount: 9, keyValueHeadCount: 3, headDimension: 64,
        feedForwardDimension: 1536, vocabularySize: 49_152, trainedContextLength: 8192, ropeTheta: 100_000)

    static func headwise() throws -> ScalingStrategyPlugin {
        try PluginRegistry(directories: [PluginFixtures.builtInDirectory]).scalingStrategy(named: "headwise")
    }

    @Test func headwiseHasOneParameterPerLayerAndHead() throws {
        let layout = try Self.headwise().layout(for: Self.smolLM2)
        #expect(layout.strategy == "headwise")
        #expect(layout.parameterCount == 270)
        #expect(layout.initialValues == Array(repeating: 1, count: 270))
        #expect(layout.map.count == 30 * 9 * 64)
        for layer in [0, 17, 29] {
            for head in [0, 4, 8] {
                for channel in [0, 31, 63] {
                    #expect(layout.map[(layer * 9 + head) * 64 + channel] == Int32(layer * 9 + head))
                }
            }
        }
        #expect(layout.regularisation == nil)
    }

    @Test func headwiseParametersSetInitialValuesAndRegularisation() throws {
        let layout = try Self.headwise().layout(for: Self.smolLM2, parameters: ["init": 0.9, "l2": 0.01])
        #expect(layout.initialValues.allSatisfy { $0 == Float(0.9) })
        #expect(layout.regularisation == ScalingRegularisation(kind: .l2, target: 1, weight: 0.01))
        #expect(throws: PluginError.parameterOutOfRange(plugin: "headwise", parameter: "init", given: -1,
                                                        minimum: 0, maximum: 16)) {
            try Self.headwise().layout(for: Self.smolLM2, parameters: ["init": -1])
        }
        #expect(throws: PluginError.wrongParameterType(plugin: "headwise", parameter: "l2", expected: .float,
                                                       given: true)) {
            try Self.headwise().layout(for: Self.smolLM2, parameters: ["l2": true])
        }
    }

    @Test func headScalesRepeatEachHeadsValueOverItsChannels() throws {
        let configuration = Self.smolLM2
        let layout = try Self.headwise().layout(for: configuration)
        let values = (0..<270).map { Float($0) / 100 }
        let scales = try layout.headScales(from: values, configuration: configuration)
        try scales.validate(for: configuration)
        let perHead = (0..<30).map { layer in (0..<9).map { values[layer * 9 + $0] } }
        #expect(scales == HeadScales.headWise(perHead, headDimension: 64))
        #expect(try layout.initialHeadScales(configuration: configuration).isIdentity)
    }

    @Test func headScalesRefuseMismatchedInputs() throws {
        let layout = try Self.headwise().layout(for: Self.smolLM2)
        #expect { try layout.headScales(from: [1, 2, 3], configuration: Self.smolLM2) } throws: { error in
            "\(error)".contains("3 values given for 270 parameters")
        }
        var other = Self.smolLM2
        other.layerCount = 2
        #expect { try layout.headScales(from: layout.initialValues, configuration: other) } throws: { error in
            "\(error)".contains("the model has 2 x 9 x 64")
        }
        var values = layout.initialValues
        values[5] = .nan
        #expect(throws: PluginError.self) { try layout.headScales(from: values, configuration: Self.smolLM2) }
    }

    /// The shipped SEAL-C plugin: parameter p multiplies exactly channel p.
    @Test func shippedChannelwiseHasOneParameterPerChannel() throws {
        let registry = PluginRegistry(directories: [PluginFixtures.builtInDirectory])
        let plugin = try registry.scalingStrategy(named: "channelwise")
        #expect(plugin.info.parameters.map(\.name) == ["init", "l2"])
        let layout = try plugin.layout(for: Self.smolLM2)
        #expect(layout.parameterCount == 17_280)
        #expect(layout.map == (0..<Int32(17_280)).map { $0 })
        #expect(layout.initialValues.allSatisfy { $0 == 1 })
        #expect(layout.regularisation == nil)
        let tuned = try plugin.layout(for: Self.smolLM2, parameters: ["init": 0.5, "l2": 0.1])
        #expect(tuned.initialValues.allSatisfy { $0 == 0.5 })
        #expect(tuned.regularisation == ScalingRegularisation(kind: .l2, target: 1, weight: 0.1))
        let values = (0..<17_280).map { Float($0 % 97) / 50 }
        let scales = try tuned.headScales(from: values, configuration: Self.smolLM2)
        #expect(scales.layers[3][70] == values[3 * 576 + 70])
    }

    @Test func aChannelwiseStrategyWorksThroughTheSameABI() throws {
        let directory = try PluginFixtures.temporaryDirectory("channelwise")
        defer { try? FileManager.default.removeItem(at: directory) }
        try PluginFixtures.compile(TestPluginSource().text, to: directory.appendingPathComponent("channelwise.so"))
        let registry = PluginRegistry(directories: [directory])
        #expect(registry.lastReport.errors.isEmpty, "\(registry.lastReport.errors)")
        let layout = try registry.scalingStrategy(named: "channelwise").layout(for: Self.smolLM2, parameters: ["init": 2])
        #expect(layout.parameterCount == 30 * 9 * 64)
        #expect(layout.map == (0..<Int32(30 * 9 * 64)).map { $0 })
        #expect(layout.initialValues.allSatisfy { $0 == 2 })
        #expect(layout.regularisation == ScalingRegularisation(kind: .l1, target: 1, weight: 0.5))
    }

    @Test func layoutsApplyToARealModel() throws {
        let model = try TinyModel.load()
        let configuration = model.configuration
        let layout = try Self.headwise().layout(for: configuration)
        #expect(layout.parameterCount == configuration.layerCount * configuration.headCount)
        let values = (0..<layout.parameterCount).map { 0.5 + Float($0) / 10 }
        let scaled = try model.transformer.applying(try layout.headScales(from: values, configuration: configuration),
                                                    mode: .folded)
        #expect(scaled.configuration == configuration)
    }
}
