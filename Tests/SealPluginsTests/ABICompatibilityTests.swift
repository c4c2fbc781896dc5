import Foundation
import SealPlugins
import Testing

/// ABI 1.1 is append-only: a plugin compiled against the 1.0 header keeps working, and the
/// 1.1 schema rules (allowed values, exclusive bounds) reach callers.
@Suite("Plugin ABI 1.1 compatibility")
struct ABICompatibilityTests {
    static let oneZeroHeaders = PluginFixtures.packageRoot.appendingPathComponent("Tests/Fixtures/plugins/abi-1.0")

    @Test func aPluginBuiltAgainstTheOneZeroHeaderKeepsLoadingAndWorking() throws {
        let directory = try PluginFixtures.temporaryDirectory("abi-1.0")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = Self.oneZeroHeaders.appendingPathComponent("passkey-1.0.c")
        try PluginFixtures.compile(fileAt: source, to: directory.appendingPathComponent("libold-passkey.so"),
                                   include: Self.oneZeroHeaders)
        let registry = PluginRegistry(directories: [directory])
        #expect(registry.lastReport.errors.isEmpty, "\(registry.lastReport.errors)")
        let plugin = try registry.task(named: "passkey")
        #expect(plugin.info.abiVersion == "1.0")
        #expect(plugin.info.parameters.allSatisfy { $0.allowedValues == nil && !$0.exclusiveMinimum && !$0.exclusiveMaximum })
        let sample = try plugin.makeSample(index: 0, seed: 9, targetTokens: 300, sampleCount: 4, purpose: .training,
                                           tokenCounter: { $0.split(whereSeparator: \.isWhitespace).count })
        #expect(sample.answerPrefix.isEmpty && sample.fields.isEmpty)
        #expect(sample.label == "The pass key is \(sample.answer).")
        let score = try plugin.score(sample: sample, output: "It is \(sample.answer).")
        #expect(score == TaskScore(score: 1, correct: true, reason: ""))
    }

    @Test func exclusiveBoundsAreEnforced() throws {
        let directory = try PluginFixtures.temporaryDirectory("exclusive")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = TestPluginSource(name: "\"alpha\"", parameters: """
            { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_FLOAT, .name = "init",
              .default_value = { .type = SEAL_PARAM_FLOAT, .number = 1 },
              .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_MIN_EXCLUSIVE | SEAL_PARAM_HAS_MAX | SEAL_PARAM_MAX_EXCLUSIVE,
              .minimum = 0, .maximum = 2 },
            """)
        try PluginFixtures.compile(source.text, to: directory.appendingPathComponent("alpha.so"))
        let plugin = try PluginRegistry(directories: [directory]).scalingStrategy(named: "alpha")
        let parameter = try #require(plugin.info.parameters.first)
        #expect(parameter.exclusiveMinimum && parameter.exclusiveMaximum)
        for good: PluginParameterValue in [0.001, 1.999, 1] {
            try plugin.validate(parameters: ["init": good])
        }
        #expect(throws: PluginError.parameterRefused(plugin: "alpha", parameter: "init", given: 0, rule: "must be > 0 and < 2")) {
            try plugin.validate(parameters: ["init": 0])
        }
        #expect(throws: PluginError.self) { try plugin.validate(parameters: ["init": 2.0]) }
        let json = String(decoding: try JSONEncoder().encode(parameter), as: UTF8.self)
        #expect(json.contains(#""exclusive_minimum":true"#))
        #expect(try JSONDecoder().decode(PluginParameter.self, from: Data(json.utf8)) == parameter)
    }
}
