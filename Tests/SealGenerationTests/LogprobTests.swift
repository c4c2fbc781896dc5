import Foundation
import SealGeneration
import SealModel
import SealTestSupport
import SealTokenizer
import Testing

/// Log-probabilities (OpenAI `logprobs`/`echo`, scoring) against the core's own
/// logits: each reported value is compared with log(p) where p is the softmax of
/// a logits row the session returns directly (`evaluate`), computed naively in
/// float64 here (exp of the raw logits, no shift), within 1e-4.
@Suite("Log-probabilities (tiny model)")
struct LogprobTests {
    static let tolerance = 1e-4

    /// log(softmax(row)[token]) the naive way: exp of the raw values, no max shift.
    static func naiveLogprob(_ row: [Float], _ token: Int) -> Double {
        let total = row.reduce(0.0) { $0 + exp(Double($1)) }
        return log(exp(Double(row[token])) / total)
    }

    @Test func readerMatchesTheNaiveFormulaAndOrdersAlternatives() throws {
        let row: [Float] = [1, 2, 3, 0.5, 3, -4]
        var reader = LogprobReader(top: 3)
        let entry = try row.withUnsafeBufferPointer { try reader.read($0, chosen: 3) }
        #expect(abs(entry.logprob - Self.naiveLogprob(row, 3)) < 1e-12)
        // 2 and 4 tie at 3: the lower id comes first; then 1.
        #expect(entry.top.map(\.token) == [2, 4, 1])
        for alternative in entry.top {
            #expect(abs(alternative.logprob - Self.naiveLogprob(row, Int(alternative.token))) < 1e-12)
        }
    }

    /// Logits far beyond exp's range: the shifted float64 sum stays finite and exact.
    @Test func largeLogitsDoNotOverflow() throws {
        let row: [Float] = [1000, 999]
        var reader = LogprobReader(top: 0)
        let entry = try row.withUnsafeBufferPointer { try reader.read($0, chosen: 1) }
        #expect(abs(entry.logprob - (-log(1 + exp(1.0)))) < 1e-9)
        #expect(entry.top.isEmpty)
    }

    @Test func nonFiniteLogitsAndForeignTokensAreErrors() throws {
        var reader = LogprobReader(top: 2)
        let bad: [Float] = [0, .nan, 1]
        #expect(throws: GenerationError.self) { try bad.withUnsafeBufferPointer { try reader.read($0, chosen: 0) } }
        let good: [Float] = [0, 1]
        #expect(throws: GenerationError.self) { try good.withUnsafeBufferPointer { try reader.read($0, chosen: 2) } }
        #expect(LogprobReader(top: 1000).top == LogprobReader.maximumTop)
    }

    /// Echoed prompt tokens and generated tokens carry the log-softmax of the
    /// session's own logits at the position before each.
    @Test func promptAndGeneratedLogprobsMatchTheSessionsLogits() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let prompt: [TokenID] = [1, 72, 105, 33, 200, 7, 64, 65, 66, 67, 68, 69]
        let session = try InferenceSession(model: model.transformer, capacity: 40, blockSize: 5, maximumOutputRows: 3)
        let result = try Generator(model: model).generate(
            prompt: prompt, in: session,
            options: GenerationOptions(maxTokens: 6, sampling: .greedy, ignoreEndOfGeneration: true, logprobs: 4, promptLogprobs: true))
        #expect(result.promptLogprobs.count == prompt.count - 1)
        #expect(result.logprobs.count == result.tokens.count)
        let all = prompt + result.tokens
        let reference = try InferenceSession(model: model.transformer, capacity: 40)
        let rows = try reference.evaluate(all, logitsAt: Array(0..<(all.count - 1)))
        for (i, entry) in (result.promptLogprobs + result.logprobs).enumerated() {
            #expect(entry.token == all[i + 1])
            #expect(abs(entry.logprob - Self.naiveLogprob(rows[i], Int(all[i + 1]))) < Self.tolerance, "position \(i)")
            #expect(entry.top.count == 4)
            let best = rows[i].indices.max { rows[i][$0] < rows[i][$1] || (rows[i][$0] == rows[i][$1] && $0 > $1) }
            #expect(entry.top.first.map { Int($0.token) } == best, "position \(i)")
        }
        // Greedy: every generated token is its position's most likely one.
        for entry in result.logprobs { #expect(entry.top.first?.token == entry.token) }
    }

    /// Scoring from a later position (a continuation after its context) reports exactly those
    /// positions, with the values of a run that read every position's logits, bit for bit
    /// (lm-evaluation-harness compares `/api/score` with echoed logprobs).
    @Test func promptLogprobsFromALaterPositionAreTheSuffixOfTheFullRun() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let prompt: [TokenID] = [1, 72, 105, 33, 90, 14, 61, 7, 88, 23, 45]
        func run(from start: Int) throws -> [TokenLogprob] {
            let session = try InferenceSession(model: model.transformer, capacity: 40, blockSize: 4, maximumOutputRows: 3)
            return try Generator(model: model).generate(prompt: prompt, in: session, options: GenerationOptions(
                maxTokens: 0, sampling: .greedy, logprobs: 2, promptLogprobs: true, promptLogprobsStart: start)).promptLogprobs
        }
        let full = try run(from: 1)
        for start in [2, 7, prompt.count - 1] {
            let part = try run(from: start)
            #expect(part.count == prompt.count - start, "from \(start)")
            for (entry, reference) in zip(part, full.suffix(part.count)) {
                #expect(entry.token == reference.token && entry.top.map(\.token) == reference.top.map(\.token), "from \(start)")
                #expect(entry.logprob == reference.logprob, "from \(start): the same blocks give the same values")
            }
        }
        #expect(throws: GenerationError.self) { try GenerationOptions(promptLogprobs: true, promptLogprobsStart: 0).validate() }
    }

    @Test func noLogprobsAreComputedUnlessAskedFor() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let session = try InferenceSession(model: model.transformer, capacity: 32)
        let result = try Generator(model: model).generate(
            prompt: [1, 72, 105], in: session, options: GenerationOptions(maxTokens: 3, sampling: .greedy, ignoreEndOfGeneration: true))
        #expect(result.logprobs.isEmpty && result.promptLogprobs.isEmpty)
    }

    /// A -100 bias removes the greedy choice; +100 forces a chosen token.
    @Test func logitBiasSteersSampling() throws {
        let model = try GeneratorBoundsTests.tinyModel()
        let session = try InferenceSession(model: model.transformer, capacity: 32)
        let generator = Generator(model: model)
        func first(_ bias: [TokenID: Float]) throws -> TokenID {
            let sampling = SamplingParameters(temperature: 0, topK: 1, topP: 1, logitBias: bias)
            return try #require(generator.generate(prompt: [1, 72, 105], in: session, options: GenerationOptions(
                maxTokens: 1, sampling: sampling, ignoreEndOfGeneration: true)).tokens.first)
        }
        let greedy = try first([:])
        #expect(try first([greedy: -100]) != greedy)
        #expect(try first([42: 100]) == 42)
        #expect(throws: GenerationError.self) { try SamplingParameters(logitBias: [3: 101]).validate() }
    }
}

/// The same check on the real default model (slow: loads SmolLM2-135M).
@Suite("Log-probabilities with SmolLM2 (slow: real model)", .serialized)
struct RealModelLogprobTests {
    @Test func echoedPromptLogprobsAreTheLogSoftmaxOfTheModelsLogits() throws {
        let model = try #require(GenerationTests.model, "default model missing: run scripts/fetch-models.sh")
        let prompt = model.completionPrompt("The quick brown fox jumps over the lazy dog. The capital of France is")
        let session = try InferenceSession(model: model.transformer, capacity: 128, blockSize: 64, maximumOutputRows: 64)
        let result = try Generator(model: model).generate(
            prompt: prompt, in: session,
            options: GenerationOptions(maxTokens: 3, sampling: .greedy, ignoreEndOfGeneration: true, logprobs: 5, promptLogprobs: true))
        let all = prompt + result.tokens
        let reference = try InferenceSession(model: model.transformer, capacity: 128)
        let rows = try reference.evaluate(all, logitsAt: Array(0..<(all.count - 1)))
        for (i, entry) in (result.promptLogprobs + result.logprobs).enumerated() {
            #expect(abs(entry.logprob - LogprobTests.naiveLogprob(rows[i], Int(all[i + 1]))) < 1e-3, "position \(i)")
        }
        // A well-trained model finds " Paris" likely after this prompt.
        let paris = try #require(result.logprobs.first)
        #expect(model.tokenizer.decode([paris.token]) == " Paris")
        #expect(paris.logprob > log(0.3))
    }
}
