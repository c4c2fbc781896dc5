import Foundation
import SealPlugins
import Testing

/// Key-value retrieval and needle in a haystack: templates, depths, purposes and scorers.
@Suite("kv and niah task plugins")
struct KVAndNIAHPluginTests {
    static func plugin(_ name: String) throws -> TaskPlugin {
        try PluginRegistry(directories: [PluginFixtures.builtInDirectory]).task(named: name)
    }

    static func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    static func isUUID(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil
    }

    @Test func kvPromptIsAJSONObjectOfUUIDs() throws {
        let sample = try Self.plugin("kv").makeSample(index: 1, seed: 5, targetTokens: 900, tokenCounter: Self.words)
        let head = "Extract the value corresponding to the specified key in the JSON object below.\n\nJSON data:\n"
        #expect(sample.prompt.hasPrefix(head))
        let parts = sample.prompt.dropFirst(head.count).components(separatedBy: "\n\nKey: \"")
        try #require(parts.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(parts[0].utf8)) as? [String: String])
        #expect(object.count > 10)
        #expect(object.allSatisfy { Self.isUUID($0.key) && Self.isUUID($0.value) })
        #expect(parts[1].hasSuffix("\"\nCorresponding value:"))
        let key = String(parts[1].prefix(36))
        #expect(object[key] == sample.answer)
        #expect(sample.answerPrefix == "The value of key \"\(key)\" is")
        #expect(sample.label == "The value of key \"\(key)\" is \"\(sample.answer)\".")
        #expect(sample.fields["pairs"] == .int(Int64(object.count)))
    }

    @Test func kvScoresTheFirstUUIDOfTheOutput() throws {
        let plugin = try Self.plugin("kv")
        let value = "0b9e6a54-43f1-4c7a-9f0e-1d2c3b4a5f60", other = "11111111-2222-4333-8444-555555555555"
        let sample = TaskSample(prompt: "p", answer: value, label: value)
        #expect(try plugin.score(sample: sample, output: "\"\(value)\"").correct)
        #expect(try plugin.score(sample: sample, output: value.uppercased()).correct)
        #expect(try plugin.score(sample: sample, output: "\(other) or \(value)")
            == TaskScore(score: 0, correct: false, reason: "predicted \(other), expected \(value)"))
        #expect(try plugin.score(sample: sample, output: "I do not know").reason == "no UUID in the output")
        #expect(try plugin.score(sample: sample, output: "x\(value)0").correct == false)
    }

    @Test func niahFollowsTheTemplateAndPlacesTheNeedle() throws {
        let plugin = try Self.plugin("niah")
        for (depth, atStart) in [(0.0, true), (100.0, false)] {
            let sample = try plugin.makeSample(index: 0, seed: 0, targetTokens: 1500,
                                               parameters: ["depth_mode": "fixed", "depth": .float(depth), "needle": 1],
                                               tokenCounter: Self.words)
            let needle = "The secret ingredient in Grandmother Ilse's plum cake is a spoonful of black pepper."
            let tail = "</book>\nBased on the content of the book, Question: What is the secret ingredient in Grandmother Ilse's plum cake?\nAnswer:"
            #expect(sample.prompt.hasPrefix(atStart ? "<book>" + needle : "<book>"))
            #expect(sample.prompt.hasSuffix(atStart ? tail : needle + tail))
            #expect(sample.answer == "a spoonful of black pepper")
            #expect(sample.label == "The secret ingredient is a spoonful of black pepper.")
            #expect(sample.completion(primed: true) == " a spoonful of black pepper.")
        }
    }

    @Test func trainingNeedlesAreNeverEvaluationNeedles() throws {
        let plugin = try Self.plugin("niah")
        func answers(_ purpose: TaskPurpose) throws -> Set<String> {
            Set(try (0..<10).map { needle in
                try plugin.makeSample(index: 0, seed: 0, targetTokens: 300, parameters: ["needle": .int(Int64(needle))],
                                      purpose: purpose, tokenCounter: Self.words).answer
            })
        }
        let evaluation = try answers(.evaluation), training = try answers(.training)
        #expect(evaluation.count == 10 && training.count == 10)
        #expect(evaluation.isDisjoint(with: training))
        // Rotation by sample covers the whole set.
        let rotated = Set(try (0..<10).map {
            try plugin.makeSample(index: $0, seed: 3, targetTokens: 300, sampleCount: 10, tokenCounter: Self.words).answer
        })
        #expect(rotated == evaluation)
    }

    /// ROUGE-1 recall = matched answer words (clipped counts) / answer words; hand-computed.
    @Test("ROUGE-1 recall against hand-computed values", arguments: [
        ("A spoonful of black pepper!", 1.0, true, "recall 5/5"),
        ("It is black pepper, a spoonful.", 0.8, true, "recall 4/5 (missing: of)"),
        ("pepper pepper pepper", 0.2, false, "recall 1/5 (missing: a, spoonful, of, black)"),
        ("Black salt of the sea.", 0.4, false, "recall 2/5 (missing: a, spoonful, pepper)"),
        ("", 0.0, false, "recall 0/5 (missing: a, spoonful, of, black, pepper)"),
    ])
    func rougeOneRecall(output: String, recall: Double, correct: Bool, reason: String) throws {
        let sample = TaskSample(prompt: "p", answer: "a spoonful of black pepper", label: "x")
        let score = try Self.plugin("niah").score(sample: sample, output: output)
        #expect(abs(score.score - recall) < 1e-12)
        #expect(score.correct == correct)
        #expect(score.reason == reason)
    }

    @Test func passRecallIsAnExclusiveBound() throws {
        let plugin = try Self.plugin("niah")
        let sample = TaskSample(prompt: "p", answer: "a spoonful of black pepper", label: "x")
        #expect(try plugin.score(sample: sample, output: "It is black pepper, a spoonful.", parameters: ["pass_recall": 1]).correct == false)
        #expect(throws: PluginError.parameterRefused(plugin: "niah", parameter: "pass_recall", given: 0,
                                                     rule: "must be > 0 and <= 1")) {
            try plugin.validate(parameters: ["pass_recall": 0])
        }
    }
}

/// Needles written by the model: the reply is validated, bad replies move on to another topic,
/// and training and evaluation ask about different topics.
@Suite("niah with model-written needles")
struct ModelNeedleTests {
    static func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    @Test func aValidReplyBecomesTheNeedleAndBadRepliesAreSkipped() throws {
        let plugin = try KVAndNIAHPluginTests.plugin("niah")
        var prompts: [String] = []
        let replies = [
            "The keeper is nice.",  // no format at all
            "FACT: The keeper of Ostra paints every door blue.\nQUESTION: What colour are the doors?\nANSWER: red",  // answer not in fact
            "Sure!\nFACT: The keeper of Ostra keeps a goat named Pepper on the roof\nQUESTION: What is the keeper's goat called?\nANSWER: Pepper",
        ]
        let sample = try plugin.makeSample(index: 0, seed: 0, targetTokens: 800, parameters: ["needle_source": "model"],
                                           tokenCounter: Self.words,
                                           textGenerator: { prompt, _ in prompts.append(prompt); return replies[min(prompts.count - 1, 2)] })
        #expect(prompts.count == 3)
        #expect(prompts[0].contains("FACT: The baker in Tolden") && prompts[0] != prompts[1], "each attempt asks about another topic")
        #expect(sample.prompt.contains("The keeper of Ostra keeps a goat named Pepper on the roof."))
        #expect(sample.prompt.hasSuffix("Question: What is the keeper's goat called?\nAnswer:"))
        #expect(sample.answer == "Pepper" && sample.label == "Pepper." && sample.answerPrefix.isEmpty)
        #expect(sample.fields["attempts"] == .int(3))
    }

    @Test func aModelThatNeverFollowsTheFormatIsReported() throws {
        let plugin = try KVAndNIAHPluginTests.plugin("niah")
        #expect {
            try plugin.makeSample(index: 0, seed: 0, targetTokens: 300, parameters: ["needle_source": "model", "attempts": 2],
                                  tokenCounter: Self.words, textGenerator: { _, _ in "I like lighthouses." })
        } throws: { error in
            guard case .pluginFailed(_, _, let status, let message) = error as? PluginError else { return false }
            return status == 3 && message.contains("no valid needle in 2 attempts (last: no FACT line)")
        }
        #expect(throws: PluginError.self) {
            try plugin.makeSample(index: 0, seed: 0, targetTokens: 300, parameters: ["needle_source": "model"], tokenCounter: Self.words)
        }
    }

    @Test func trainingAndEvaluationAskAboutDifferentTopics() throws {
        let plugin = try KVAndNIAHPluginTests.plugin("niah")
        func topics(_ purpose: TaskPurpose) throws -> Set<String> {
            var asked = Set<String>()
            for index in 0..<8 {
                _ = try? plugin.makeSample(index: index, seed: 0, targetTokens: 300,
                                           parameters: ["needle_source": "model", "attempts": 1], purpose: purpose,
                                           tokenCounter: Self.words, textGenerator: { prompt, _ in
                    asked.insert(String(prompt.split(separator: "\n").last ?? ""))
                    return "no"
                })
            }
            return asked
        }
        let evaluation = try topics(.evaluation), training = try topics(.training)
        #expect(evaluation.count == 8 && training.count == 8)
        #expect(evaluation.isDisjoint(with: training))
    }
}
