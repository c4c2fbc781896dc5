import Foundation
import SealPlugins
import Testing

/// LongEval "lines": the exact template, the four index styles, depths, scoring.
@Suite("Lines task plugin (LongEval)")
struct LinesPluginTests {
    static func plugin() throws -> TaskPlugin {
        try PluginRegistry(directories: [PluginFixtures.builtInDirectory]).task(named: "lines")
    }

    static func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    static let header = "Below is a record of lines I want you to remember. Each line begins with 'line <line index>' and contains a '<REGISTER_CONTENT>' at the end of the line as a numerical value. For each line index, memorize its corresponding <REGISTER_CONTENT>. At the end of the record, I will ask you to retrieve the corresponding <REGISTER_CONTENT> of a certain line index. Now the record start:\n\n"

    /// The record's lines as (name, value), and the asked name, parsed back from a prompt.
    static func parse(_ prompt: String) throws -> (lines: [(String, Int)], asked: String) {
        #expect(prompt.hasPrefix(header))
        let body = prompt.dropFirst(header.count)
        let parts = body.components(separatedBy: "\n\nNow the record is over. Tell me what is the <REGISTER_CONTENT> in line ")
        try #require(parts.count == 2)
        let suffix = parts[1]
        #expect(suffix.hasSuffix("? I need the number."))
        let asked = String(suffix.dropLast("? I need the number.".count))
        let lines = try parts[0].split(separator: "\n", omittingEmptySubsequences: false).map { line -> (String, Int) in
            let match = try #require(line.wholeMatch(of: /line ([^:]+): REGISTER_CONTENT is <([0-9]+)>/))
            return (String(match.1), try #require(Int(match.2)))
        }
        return (lines, asked)
    }

    @Test func samplesAreDeterministicAndTrainingDiffersFromEvaluation() throws {
        let plugin = try Self.plugin()
        func sample(_ index: Int, _ seed: UInt64, _ purpose: TaskPurpose = .evaluation) throws -> TaskSample {
            try plugin.makeSample(index: index, seed: seed, targetTokens: 800, sampleCount: 10, purpose: purpose,
                                  tokenCounter: Self.words)
        }
        #expect(try sample(3, 42) == sample(3, 42))
        let prompts = try [sample(3, 42), sample(4, 42), sample(3, 43), sample(3, 42, .training)].map(\.prompt)
        #expect(Set(prompts).count == 4)
    }

    @Test func theSampleFollowsTheLongEvalTemplate() throws {
        let sample = try Self.plugin().makeSample(index: 2, seed: 7, targetTokens: 1200, tokenCounter: Self.words)
        let (lines, asked) = try Self.parse(sample.prompt)
        let names = lines.map(\.0)
        #expect(Set(names).count == names.count, "line names repeat")
        #expect(lines.allSatisfy { (1...50_000).contains($0.1) })
        let value = try #require(lines.first { $0.0 == asked }?.1)
        #expect(sample.answer == "\(value)")
        #expect(sample.label == "The <REGISTER_CONTENT> in line \(asked) is \(value).")
        #expect(sample.answerPrefix == "The <REGISTER_CONTENT> in line \(asked) is")
        #expect(sample.completion(primed: true) == " \(value).")
        #expect(sample.completion(primed: false) == sample.label)
        #expect(sample.fields["lines"] == .int(Int64(lines.count)))
        #expect(sample.fields["index_style"] == "words")
        let position = try #require(names.firstIndex(of: asked))
        #expect(sample.fields["line"] == .int(Int64(position + 1)))
    }

    @Test("Index styles", arguments: ["words", "numbers", "letters", "uuid"])
    func indexStyles(style: String) throws {
        let sample = try Self.plugin().makeSample(index: 0, seed: 1, targetTokens: 2000,
                                                  parameters: ["index_style": .string(style)], tokenCounter: Self.words)
        let names = try Self.parse(sample.prompt).lines.map(\.0)
        #expect(names.count > 100)
        #expect(Set(names).count == names.count)
        switch style {
        case "words":
            #expect(names.allSatisfy { $0.wholeMatch(of: /[a-z]+-[a-z]+/) != nil })
        case "numbers":
            #expect(names == (1...names.count).map(String.init))
        case "letters":
            #expect(Array(names.prefix(28)) == (0..<26).map { String(UnicodeScalar(65 + $0)!) } + ["AA", "AB"])
        default:
            #expect(names.allSatisfy { $0.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil })
        }
    }

    @Test func depthIsFixedOrSpreadOverTheDataSet() throws {
        let plugin = try Self.plugin()
        func asked(_ index: Int, _ parameters: [String: PluginParameterValue], count: Int = 1) throws -> (Int, Int) {
            let sample = try plugin.makeSample(index: index, seed: 3, targetTokens: 600, parameters: parameters,
                                               sampleCount: count, tokenCounter: Self.words)
            let (lines, name) = try Self.parse(sample.prompt)
            return (try #require(lines.firstIndex { $0.0 == name }), lines.count)
        }
        #expect(try asked(0, ["depth_mode": "fixed", "depth": 0]).0 == 0)
        let (last, count) = try asked(0, ["depth_mode": "fixed", "depth": 100])
        #expect(last == count - 1)
        let (middle, total) = try asked(0, ["depth_mode": "fixed", "depth": 50])
        #expect(abs(middle - (total - 1) / 2) <= 1)
        let spread = try (0..<5).map { try plugin.makeSample(index: $0, seed: 3, targetTokens: 600,
                                                                  parameters: ["depth_mode": "spread"], sampleCount: 5,
                                                                  tokenCounter: Self.words).fields["depth"] }
        let depths = spread.map { value -> Double in
            switch value {
            case .int(let v)?: Double(v)
            case .float(let v)?: v
            default: -1
            }
        }
        for (depth, expected) in zip(depths, [0.0, 25, 50, 75, 100]) {
            #expect(abs(depth - expected) < 2, "depths \(depths)")
        }
    }

    @Test func scoringIsAnExactMatchOfTheLastInteger() throws {
        let plugin = try Self.plugin()
        let sample = TaskSample(prompt: "p", answer: "4512", label: "The <REGISTER_CONTENT> in line 7 is 4512.")
        for output in [" 4512.", "The <REGISTER_CONTENT> in line 7 is 4512.", "line 9? no, 4512"] {
            #expect(try plugin.score(sample: sample, output: output) == TaskScore(score: 1, correct: true), "\(output)")
        }
        let wrong = try plugin.score(sample: sample, output: "It is 4521.")
        #expect(wrong == TaskScore(score: 0, correct: false, reason: "predicted 4521, expected 4512"))
        #expect(try plugin.score(sample: sample, output: "45120").correct == false)
        #expect(try plugin.score(sample: sample, output: "04512").correct == false)
        #expect(try plugin.score(sample: sample, output: "I forgot.").reason == "no integer in the output; expected 4512")
    }

    @Test func aTargetBeyondTheWordNamesIsRefusedNotShortened() throws {
        // 16,384 adjective-noun names at about 5 words a line: 200,000 words is out of reach.
        #expect { try Self.plugin().makeSample(index: 0, seed: 0, targetTokens: 200_000, tokenCounter: Self.words) } throws: { error in
            guard case .pluginFailed(_, _, let status, let message) = error as? PluginError else { return false }
            return status == 3 && message.contains("reaches at most about")
        }
        let long = try Self.plugin().makeSample(index: 0, seed: 0, targetTokens: 200_000, parameters: ["index_style": "numbers"],
                                                tokenCounter: Self.words)
        #expect(abs(Self.words(long.prompt) - 200_000) < 4000)
    }

    @Test func stringParametersAreLimitedToTheirValues() throws {
        let plugin = try Self.plugin()
        let info = plugin.info
        #expect(info.abiVersion == "1.1")
        let style = try #require(info.parameters.first { $0.name == "index_style" })
        #expect(style.allowedValues == ["words", "numbers", "letters", "uuid"])
        #expect(throws: PluginError.parameterRefused(plugin: "lines", parameter: "index_style", given: "roman",
                                                     rule: "must be one of: words, numbers, letters, uuid")) {
            try plugin.validate(parameters: ["index_style": "roman"])
        }
        #expect(throws: PluginError.parameterOutOfRange(plugin: "lines", parameter: "depth", given: 101,
                                                        minimum: 0, maximum: 100)) {
            try plugin.validate(parameters: ["depth": 101])
        }
    }
}
