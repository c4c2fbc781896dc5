import Foundation
import SealPlugins
import Testing

/// The pass-key task: deterministic samples of the requested size, and its scoring.
@Suite("Passkey task plugin")
struct PasskeyPluginTests {
    static func plugin() throws -> TaskPlugin {
        try PluginRegistry(directories: [PluginFixtures.builtInDirectory]).task(named: "passkey")
    }

    /// A simple stand-in tokenizer: whitespace-separated words.
    static func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    @Test func samplesAreDeterministicPerSeedAndIndex() throws {
        let plugin = try Self.plugin()
        func sample(_ index: Int, _ seed: UInt64) throws -> TaskSample {
            try plugin.makeSample(index: index, seed: seed, targetTokens: 2000, tokenCounter: Self.words)
        }
        #expect(try sample(3, 42) == sample(3, 42))
        let others = try [sample(4, 42), sample(3, 43), sample(5, 42)]
        #expect(Set(others.map(\.answer) + [try sample(3, 42).answer]).count == 4)
    }

    @Test("The prompt reaches the target length (±5%)", arguments: [300, 1000, 4000, 16_000])
    func promptReachesTheTarget(target: Int) throws {
        let sample = try Self.plugin().makeSample(index: 1, seed: 7, targetTokens: target, tokenCounter: Self.words)
        let count = Self.words(sample.prompt)
        #expect(abs(count - target) <= target / 20, "\(count) words for a target of \(target)")
    }

    @Test("Sized with a real tokenizer (the tiny model's byte-level vocabulary)", arguments: [2000, 8000])
    func promptReachesTheTargetWithARealTokenizer(target: Int) throws {
        let tokenizer = try TinyModel.load().tokenizer
        let counter: (String) -> Int = { tokenizer.encode($0, addSpecialTokens: false).count }
        let sample = try Self.plugin().makeSample(index: 0, seed: 1, targetTokens: target, tokenCounter: counter)
        #expect(abs(counter(sample.prompt) - target) <= target / 20)
    }

    @Test func theSampleHasTheDocumentedShape() throws {
        let sample = try Self.plugin().makeSample(index: 9, seed: 2024, targetTokens: 500, tokenCounter: Self.words)
        let key = sample.answer
        #expect(key.count == 5 && key.allSatisfy(\.isNumber) && key.first != "0")
        #expect(sample.label == "The pass key is \(key).")
        #expect(sample.prompt.contains("The pass key is \(key). Remember it. \(key) is the pass key."))
        #expect(sample.prompt.contains("The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."))
        #expect(sample.prompt.hasSuffix("What is the pass key? The pass key is"))
    }

    @Test func parametersSetTheKeyLengthAndDepth() throws {
        let plugin = try Self.plugin()
        let long = try plugin.makeSample(index: 0, seed: 0, targetTokens: 400, parameters: ["digits": 8],
                                         tokenCounter: Self.words)
        #expect(long.answer.count == 8)
        let sentence = { (sample: TaskSample) in "The pass key is \(sample.answer). Remember it." }
        let filler = "The grass is green."
        let first = try plugin.makeSample(index: 0, seed: 0, targetTokens: 400, parameters: ["depth_mode": "fixed", "depth": 0],
                                          tokenCounter: Self.words)
        let last = try plugin.makeSample(index: 0, seed: 0, targetTokens: 400, parameters: ["depth_mode": "fixed", "depth": 100.0],
                                         tokenCounter: Self.words)
        let firstKey = try #require(first.prompt.range(of: sentence(first)))
        let firstFiller = try #require(first.prompt.range(of: filler))
        #expect(firstKey.lowerBound < firstFiller.lowerBound)
        let lastKey = try #require(last.prompt.range(of: sentence(last)))
        let lastFiller = try #require(last.prompt.range(of: filler, options: .backwards))
        #expect(lastKey.lowerBound > lastFiller.lowerBound)
    }

    @Test func scoringTakesTheLastIntegerOfTheOutput() throws {
        let plugin = try Self.plugin()
        let sample = try plugin.makeSample(index: 0, seed: 5, targetTokens: 300, tokenCounter: Self.words)
        let key = sample.answer
        let right = ["\(key).", " \(key)", "The pass key is \(key).", "I think 12345, no: \(key)!", "key=\(key)"]
        let wrong = ["\(key)1", "\(key) or 12345", "I don't remember.", "", "\u{1F511}garbage\u{FFFD}", "1\(key)"]
        for output in right {
            #expect(try plugin.score(sample: sample, output: output) == TaskScore(score: 1, correct: true), "\(output)")
        }
        for output in wrong {
            let score = try plugin.score(sample: sample, output: output)
            #expect(score.score == 0 && !score.correct, "\(output)")
            #expect(score.reason.hasSuffix("expected \(key)"), "\(score.reason)")
        }
        // Text with NUL cannot cross the C boundary intact: refused, not mis-scored.
        #expect(throws: PluginError.self) { try plugin.score(sample: sample, output: "\(key)\u{0000}") }
        // A sample whose answer is not a key is the caller's mistake, reported by the plugin.
        var broken = sample
        broken.answer = "pass"
        #expect { try plugin.score(sample: broken, output: "pass") } throws: { error in
            "\(error)".contains("not a pass key")
        }
    }

    @Test func badRequestsAndParametersAreRefusedWithTheirNames() throws {
        let plugin = try Self.plugin()
        func make(_ parameters: [String: PluginParameterValue], target: Int = 100, index: Int = 0) throws {
            _ = try plugin.makeSample(index: index, seed: 0, targetTokens: target, parameters: parameters,
                                      tokenCounter: Self.words)
        }
        #expect(throws: PluginError.parameterOutOfRange(plugin: "passkey", parameter: "digits", given: 12,
                                                        minimum: 1, maximum: 9)) { try make(["digits": 12]) }
        #expect(throws: PluginError.wrongParameterType(plugin: "passkey", parameter: "digits", expected: .int,
                                                       given: "five")) { try make(["digits": "five"]) }
        #expect(throws: PluginError.wrongParameterType(plugin: "passkey", parameter: "digits", expected: .int,
                                                       given: 5.5)) { try make(["digits": 5.5]) }
        #expect(throws: PluginError.unknownParameter(plugin: "passkey", parameter: "colour",
                                                     known: ["digits", "depth_mode", "depth", "keys"])) { try make(["colour": true]) }
        #expect(throws: PluginError.self) { try make([:], target: 0) }
        #expect(throws: PluginError.self) { try make([:], index: -1) }
        // Whole numbers are accepted for ints, and ints for floats.
        try make(["digits": 6.0, "depth": 1])
        #expect("\(PluginError.parameterOutOfRange(plugin: "passkey", parameter: "digits", given: 12, minimum: 1, maximum: 9))"
            == "plugin 'passkey': parameter 'digits' = 12 is out of range (allowed: 1...9)")
    }

    @Test func multiKeyModeHidesNamedKeysAndAsksForOne() throws {
        let plugin = try Self.plugin()
        let sample = try plugin.makeSample(index: 2, seed: 4, targetTokens: 1500, parameters: ["keys": 5],
                                           tokenCounter: Self.words)
        let hidden = sample.prompt.matches(of: /The pass key of the ([a-z]+ [a-z]+) is ([0-9]+)\. Remember it\. \2 is the pass key of the \1\./)
        #expect(hidden.count == 5)
        #expect(Set(hidden.map { String($0.1) }).count == 5, "key names repeat")
        let question = try #require(sample.prompt.firstMatch(of: /What is the pass key of the ([a-z]+ [a-z]+)\? The pass key of the \1 is$/))
        let asked = String(question.1)
        let key = try #require(hidden.first { String($0.1) == asked }?.2)
        #expect(sample.answer == String(key))
        #expect(sample.answerPrefix == "The pass key of the \(asked) is")
        #expect(sample.label == "The pass key of the \(asked) is \(key).")
        #expect(sample.fields["keys"] == .int(5))
        // Another hidden key in the output is a wrong answer, with the reason saying so.
        let other = try #require(hidden.first { String($0.1) != asked }?.2)
        let score = try plugin.score(sample: sample, output: "It is \(other).")
        #expect(!score.correct && score.reason == "predicted \(other), expected \(key)")
    }

    @Test func depthsSpreadOverTheDataSet() throws {
        let plugin = try Self.plugin()
        let depths = try (0..<3).map { index -> PluginParameterValue? in
            try plugin.makeSample(index: index, seed: 1, targetTokens: 1000, parameters: ["depth_mode": "spread"],
                                  sampleCount: 3, tokenCounter: Self.words).fields["depth"]
        }
        #expect(depths[0] == .int(0) && depths[2] == .int(100))
        if case .float(let middle)? = depths[1] { #expect(abs(middle - 50) < 2) } else if case .int(let middle)? = depths[1] {
            #expect(abs(middle - 50) < 2)
        } else { Issue.record("no depth field: \(depths)") }
    }

    @Test func aFailingTokenCounterIsReported() throws {
        #expect { try Self.plugin().makeSample(index: 0, seed: 0, targetTokens: 100, tokenCounter: { _ in -1 }) } throws: { error in
            guard case .pluginFailed(_, _, let status, let message) = error as? PluginError else { return false }
            return status == 2 && message.contains("token counter failed")
        }
    }
}
