import Foundation
import SealGeneration
import SealModel
import SealTokenizer
import Testing

/// The decode loop on the real default model (slow: loads SmolLM2-135M).
@Suite("Generation with SmolLM2 (slow: real model)", .serialized)
struct GenerationTests {
    static let model: LanguageModel? = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let file = url.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf")
        return try? LanguageModel.load(from: file)
    }()

    func loaded() throws -> LanguageModel {
        try #require(Self.model, "default model missing: run scripts/fetch-models.sh")
    }

    @Test func answersAFactualQuestionThroughTheChatTemplate() throws {
        let model = try loaded()
        let prompt = try model.chatPrompt([ChatMessage(role: "user", content: "What is the capital of Germany?")])
        let session = try InferenceSession(model: model.transformer, capacity: 512)
        var streamed = ""
        let result = try Generator(model: model).generate(
            prompt: prompt, in: session, options: GenerationOptions(maxTokens: 40, sampling: .greedy)) { piece in
            streamed += piece
            return true
        }
        #expect(result.text.contains("Berlin"), "got: \(result.text)")
        #expect(streamed == result.text)
        #expect(result.finishReason == .stop, "the model should end its answer with <|im_end|>")
    }

    @Test func maxTokensEndsWithLength() throws {
        let model = try loaded()
        let session = try InferenceSession(model: model.transformer, capacity: 256)
        let result = try Generator(model: model).generate(
            prompt: model.completionPrompt("Once upon a time"), in: session,
            options: GenerationOptions(maxTokens: 7, sampling: SamplingParameters(seed: 1), ignoreEndOfGeneration: true))
        #expect(result.tokens.count == 7)
        #expect(result.finishReason == .length)
    }

    @Test func stopStringCutsTheOutputBeforeIt() throws {
        let model = try loaded()
        let generator = Generator(model: model)
        let session = try InferenceSession(model: model.transformer, capacity: 256)
        let prompt = model.completionPrompt("The capital of France is Paris. The capital of Germany is")
        let free = try generator.generate(prompt: prompt, in: session,
                                          options: GenerationOptions(maxTokens: 24, sampling: .greedy))
        let words = free.text.split(separator: " ")
        try #require(words.count >= 4, "greedy text too short: \(free.text)")
        let stop = String(words[2])
        let expected = String(free.text[..<free.text.range(of: stop)!.lowerBound])
        let cut = try generator.generate(prompt: prompt, in: session,
                                         options: GenerationOptions(maxTokens: 24, sampling: .greedy, stop: [stop]))
        #expect(cut.text == expected)
        #expect(cut.finishReason == .stopString)
    }

    @Test func promptBeyondTheWindowIsAnErrorNotATruncation() throws {
        let model = try loaded()
        let session = try InferenceSession(model: model.transformer, capacity: 8)
        let prompt = model.completionPrompt(String(repeating: "word ", count: 20))
        #expect {
            _ = try Generator(model: model).generate(prompt: prompt, in: session, options: GenerationOptions(maxTokens: 1))
        } throws: { error in
            "\(error)".contains("context window is 8")
        }
    }

    @Test func generationStopsWhenTheContextIsFull() throws {
        let model = try loaded()
        let session = try InferenceSession(model: model.transformer, capacity: 12)
        let prompt = model.completionPrompt("One two three four five")
        let result = try Generator(model: model).generate(
            prompt: prompt, in: session, options: GenerationOptions(maxTokens: 50, sampling: .greedy, ignoreEndOfGeneration: true))
        #expect(result.finishReason == .contextFull)
        #expect(prompt.count + result.tokens.count == 13, "the last sampled token needs no cache slot")
    }
}
