import Testing
@testable import SealService

/// A job's generated prompts are held in memory and written as one dataset file, so their
/// total is bounded, not only each field: 10,000 samples of 4M tokens passed the per-field
/// bounds and would have needed hundreds of gigabytes.
@Suite("Sampling bounds")
struct SamplingBoundTests {
    @Test func theTotalOfGeneratedTokensIsBounded() throws {
        try JobRunner.validateSampling(samples: 10_000, targetTokens: 6_000, field: "dataset")
        try JobRunner.validateSampling(samples: 16, targetTokens: 4 << 20, field: "dataset")
        #expect(throws: ServiceError.self) { try JobRunner.validateSampling(samples: 10_000, targetTokens: 4 << 20, field: "dataset") }
        #expect(throws: ServiceError.self) { try JobRunner.validateSampling(samples: 17, targetTokens: 4 << 20, field: "tune") }
    }
}
