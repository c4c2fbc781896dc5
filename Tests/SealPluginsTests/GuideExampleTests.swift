import Foundation
import SealModel
import SealPlugins
import Testing

/// The complete plugins printed in docs/plugin-guide.md compile and work as described.
@Suite("Plugin guide examples")
struct GuideExampleTests {
    /// The guide's C code blocks that are whole plugins (they define the entry point).
    static func examples() throws -> [String] {
        let guide = try String(contentsOf: PluginFixtures.packageRoot.appendingPathComponent("docs/plugin-guide.md"), encoding: .utf8)
        return guide.matches(of: /```c\n((?s:.*?))```/).map { String($0.1) }.filter { $0.contains("seal_plugin_entry(void) {") }
    }

    @Test func bothExamplesCompileLoadAndRun() throws {
        let sources = try Self.examples()
        try #require(sources.count == 2, "expected the ntk and colours examples")
        let directory = try PluginFixtures.temporaryDirectory("guide")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, source) in sources.enumerated() {
            try PluginFixtures.compile(source, to: directory.appendingPathComponent("libguide\(index).so"))
        }
        let registry = PluginRegistry(directories: [directory])
        #expect(registry.lastReport.errors.isEmpty, "\(registry.lastReport.errors)")

        let rope = RoPEParameters(theta: 10_000, rotaryDimensions: 64, headDimension: 64, trainedContextLength: 2048)
        let plan = try registry.contextExtension(named: "ntk").plan(for: rope, sequenceLength: 8192, parameters: ["factor": 4.0])
        #expect(plan.label == "ntk x4" && plan.effectiveContextLength == 8192)

        let colours = try registry.task(named: "colours")
        let words: (String) -> Int = { $0.split(whereSeparator: \.isWhitespace).count }
        let sample = try colours.makeSample(index: 3, seed: 1, targetTokens: 600, parameters: ["palette": "pastel"],
                                            tokenCounter: words)
        #expect(abs(words(sample.prompt) - 600) <= 12)
        #expect(["peach", "mint", "lilac", "lemon"].contains(sample.answer))
        #expect(sample.prompt.contains("likes \(sample.answer) most of all."))
        #expect(sample.label.hasPrefix(sample.answerPrefix) && sample.label.hasSuffix(" \(sample.answer)."))
        #expect(sample.fields["lines"] != nil)
        #expect(try colours.score(sample: sample, output: "lemon and \(sample.answer)").correct)
        #expect(try colours.score(sample: sample, output: "grey").reason == "'\(sample.answer)' is not in the output")
        #expect(throws: PluginError.self) { try colours.validate(parameters: ["palette": "neon"]) }
    }
}
