import SealGeneration
import Testing

@Suite("Sampling")
struct SamplerTests {
    let logits: [Float] = [1.0, 3.0, 2.5, -1.0, 0.5, 2.9]

    func draw(_ parameters: SamplingParameters, times: Int = 2000) -> [Int: Int] {
        var sampler = Sampler(parameters: parameters, vocabularySize: logits.count)
        var counts: [Int: Int] = [:]
        logits.withUnsafeBufferPointer { buffer in
            for _ in 0..<times { counts[Int(sampler.sample(buffer)), default: 0] += 1 }
        }
        return counts
    }

    @Test func greedyPicksTheArgmax() {
        #expect(draw(.greedy, times: 10) == [1: 10])
    }

    @Test func topKKeepsOnlyTheKLargest() {
        let counts = draw(SamplingParameters(temperature: 1, topK: 2, topP: 1, seed: 1))
        #expect(Set(counts.keys) == [1, 5])
    }

    @Test func topPKeepsTheSmallestSetReachingTheMass() {
        // Probabilities at T=1: ids 1, 5, 2 hold ~0.36, 0.33, 0.22 of the mass.
        let counts = draw(SamplingParameters(temperature: 1, topK: 0, topP: 0.6, seed: 2))
        #expect(Set(counts.keys) == [1, 5])
    }

    @Test func frequenciesFollowTheSoftmax() {
        let counts = draw(SamplingParameters(temperature: 1, topK: 0, topP: 1, seed: 3), times: 20000)
        let exps = logits.map { Double($0).exp }
        let total = exps.reduce(0, +)
        for (id, e) in exps.enumerated() {
            let observed = Double(counts[id, default: 0]) / 20000
            #expect(abs(observed - e / total) < 0.015, "id \(id): observed \(observed), expected \(e / total)")
        }
    }

    @Test func sameSeedSameSequence() {
        let p = SamplingParameters(temperature: 1.2, topK: 0, topP: 1, seed: 42)
        var a = Sampler(parameters: p, vocabularySize: logits.count)
        var b = Sampler(parameters: p, vocabularySize: logits.count)
        logits.withUnsafeBufferPointer { buffer in
            for _ in 0..<100 { #expect(a.sample(buffer) == b.sample(buffer)) }
        }
    }

    @Test func repetitionPenaltyDemotesRecentTokens() {
        var sampler = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 2), vocabularySize: logits.count)
        let choice = logits.withUnsafeBufferPointer { sampler.sample($0, recent: [1, 5]) }
        #expect(choice == 2)  // 3.0/2 and 2.9/2 fall below 2.5
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
