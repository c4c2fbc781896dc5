import SealAPI
import SealGeneration
@testable import SealService
import Testing

/// Tuning reads the tokens evaluation reads: the primed prompt (answer prefix opening the
/// assistant turn), then the answer, with the loss on the answer alone.
@Suite("Tuning samples in the evaluation's format (slow: real model)")
struct PrimedTuningSampleTests {
    @Test func aPrimedTuningSampleIsTheEvaluationPromptPlusTheAnswer() throws {
        let model = try TaskSamplerTests.smolLM2.get()
        let sampler = try TaskSamplerTests.sampler(model, task: "lines", primed: true)
        for index in 0..<3 {
            let sample = try sampler.sample(index: index, targetTokens: 670)
            let prefix = try #require(sample.answerPrefix)
            let evaluated = SampleEvaluator.prompt(sample, model: model, primed: true)
            let tuning = try JobRunner.tuningSample(sample, model: model, primed: true)
            #expect(tuning.answerStart == evaluated.count)
            #expect(Array(tuning.tokens.prefix(tuning.answerStart)) == evaluated, "train and test prompts differ")
            #expect(evaluated.count == sample.promptTokens)
            let answer = Array(tuning.tokens.suffix(from: tuning.answerStart))
            #expect(model.tokenizer.decode(answer) == " \(sample.answer).", "scored tokens: \(model.tokenizer.decode(answer))")
            #expect(model.tokenizer.decode(evaluated).hasSuffix("<|im_start|>assistant\n" + prefix))
        }
    }

    @Test func anUnprimedTuningSampleScoresTheWholeLabel() throws {
        let model = try TaskSamplerTests.smolLM2.get()
        let sample = try TaskSamplerTests.sampler(model, task: "lines", primed: false).sample(index: 0, targetTokens: 400)
        let evaluated = SampleEvaluator.prompt(sample, model: model, primed: false)
        let tuning = try JobRunner.tuningSample(sample, model: model, primed: false)
        #expect(Array(tuning.tokens.prefix(tuning.answerStart)) == evaluated)
        #expect(model.tokenizer.decode(Array(tuning.tokens.suffix(from: tuning.answerStart))) == sample.label)
        #expect(model.tokenizer.decode(evaluated).hasSuffix("<|im_start|>assistant\n"))
    }

    @Test func aLabelThatDoesNotStartWithThePrefixTrainsUnprimed() throws {
        let model = try TaskSamplerTests.smolLM2.get()
        let sample = DatasetContent.Sample(index: 0, prompt: "Tell me the number.", answer: "42", label: "It is 42.",
                                           promptTokens: 0, answerPrefix: "The number is")
        let tuning = try JobRunner.tuningSample(sample, model: model, primed: true)
        #expect(Array(tuning.tokens.prefix(tuning.answerStart)) == model.taskPrompt(sample.prompt))
        #expect(model.tokenizer.decode(Array(tuning.tokens.suffix(from: tuning.answerStart))) == "It is 42.")
    }
}
