import SealGeneration
import Testing

@Suite("Sampling")
struct SamplerTests {
    let logits: [Float] = [1.0, 3.0, 2.5, -1.0, 0.5, 2.9]

    func draw(_ parameters: SamplingParameters, times: Int = 2000) throws -> [Int: Int] {
        var sampler = Sampler(parameters: parameters, vocabularySize: logits.count)
        var counts: [Int: Int] = [:]
        try logits.withUnsafeBufferPointer { buffer in
            for _ in 0..<times { counts[Int(try sampler.sample(buffer)), default: 0] += 1 }
        }
        return counts
    }

    @Test func greedyPicksTheArgmax() throws {
        #expect(try draw(.greedy, times: 10) == [1: 10])
    }

    @Test func topKKeepsOnlyTheKLargest() throws {
        let counts = try draw(SamplingParameters(temperature: 1, topK: 2, topP: 1, seed: 1))
        #expect(Set(counts.keys) == [1, 5])
    }

    @Test func topPKeepsTheSmallestSetReachingTheMass() throws {
        // Probabilities at T=1: ids 1, 5, 2 hold ~0.36, 0.33, 0.22 of the mass.
        let counts = try draw(SamplingParameters(temperature: 1, topK: 0, topP: 0.6, seed: 2))
        #expect(Set(counts.keys) == [1, 5])
    }

    @Test func frequenciesFollowTheSoftmax() throws {
        let counts = try draw(SamplingParameters(temperature: 1, topK: 0, topP: 1, seed: 3), times: 20000)
        let exps = logits.map { Double($0).exp }
        let total = exps.reduce(0, +)
        for (id, e) in exps.enumerated() {
            let observed = Double(counts[id, default: 0]) / 20000
            #expect(abs(observed - e / total) < 0.015, "id \(id): observed \(observed), expected \(e / total)")
        }
    }

    @Test func sameSeedSameSequence() throws {
        let p = SamplingParameters(temperature: 1.2, topK: 0, topP: 1, seed: 42)
        var a = Sampler(parameters: p, vocabularySize: logits.count)
        var b = Sampler(parameters: p, vocabularySize: logits.count)
        try logits.withUnsafeBufferPointer { buffer in
            for _ in 0..<100 {
                let (x, y) = (try a.sample(buffer), try b.sample(buffer))
                #expect(x == y)
            }
        }
    }

    @Test func repetitionPenaltyDemotesRecentTokens() throws {
        var sampler = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 2), vocabularySize: logits.count)
        let choice = try logits.withUnsafeBufferPointer { try sampler.sample($0, recent: [1, 5]) }
        #expect(choice == 2)  // 3.0/2 and 2.9/2 fall below 2.5
    }

    /// A request's top_k is bounded by the vocabulary: 10^11 used to size the heap (allocation abort).
    @Test func hugeTopKIsBoundedByTheVocabulary() throws {
        let counts = try draw(SamplingParameters(temperature: 1, topK: 100_000_000_000, topP: 1, seed: 4), times: 200)
        #expect(Set(counts.keys).isSubset(of: Set(0..<logits.count)))
        let max = try draw(SamplingParameters(temperature: 1, topK: .max, topP: 1, seed: 4), times: 10)
        #expect(!max.isEmpty)
    }

    /// NaN or infinite logits (a corrupt model) are an error naming the cause, for
    /// every sampling mode, never a trap on an empty candidate list.
    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteLogitsAreAnError(bad: Float) {
        let modes: [SamplingParameters] = [.greedy, SamplingParameters(topK: 2, seed: 1),
                                          SamplingParameters(topK: 0, topP: 0.5, seed: 1)]
        for mode in modes {
            var values = logits
            values[3] = bad
            var sampler = Sampler(parameters: mode, vocabularySize: values.count)
            do {
                _ = try values.withUnsafeBufferPointer { try sampler.sample($0) }
                Issue.record("a \(bad) logit was sampled from with \(mode)")
            } catch let error as GenerationError {
                // NaN never equals itself, so the kind is matched field by field.
                guard case .nonFiniteLogit(let token, let value) = error.kind else {
                    Issue.record("expected a non-finite logit error, got \(error)")
                    continue
                }
                #expect(token == 3 && (bad.isNaN ? value.isNaN : value == bad), "\(error)")
                #expect(error.description.contains("non-finite logit"))
                #expect(error.description.contains("token 3"))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func invalidParametersAreRejectedWithTheField() {
        #expect(throws: GenerationError.self) { try SamplingParameters(temperature: -1).validate() }
        do {
            try SamplingParameters(topP: 0).validate()
            Issue.record("top_p 0 accepted")
        } catch {
            #expect(error.description.contains("top_p"))
        }
    }
}

private extension Double {
    var exp: Double { Foundation.exp(self) }
}

import Foundation
