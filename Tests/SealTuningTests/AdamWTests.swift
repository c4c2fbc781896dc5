import Testing
@testable import SealTuning

@Suite("AdamW")
struct AdamWTests {
    /// Two steps worked by hand (beta1 0.9, beta2 0.999, eps 1e-8, lr 0.01):
    /// step 1, g = 0.5: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, p = 1 - 0.01 * 0.5 / 0.5 = 0.99.
    /// step 2, g = -0.2: m = 0.025, v = 0.00028975, m̂ = 0.025 / 0.19, v̂ = 0.00028975 / 0.001999,
    /// p = 0.99 - 0.01 * 0.131579 / 0.380720 = 0.986544.
    @Test func twoStepsMatchHandComputedValues() throws {
        var optimiser = AdamW(parameterCount: 2, learningRate: 0.01)
        var parameters = [1.0, -0.5]
        try optimiser.update(&parameters, gradient: [0.5, -2])
        #expect(abs(parameters[0] - 0.99) < 1e-9)
        #expect(abs(parameters[1] - -0.49) < 1e-9, "the first step moves every parameter by the learning rate")
        try optimiser.update(&parameters, gradient: [-0.2, 1])
        #expect(abs(parameters[0] - 0.9865439418) < 1e-9)
        #expect(abs(parameters[1] - -0.4873366297) < 1e-9)
        #expect(optimiser.step == 2)
        #expect(abs(optimiser.firstMoment[0] - 0.025) < 1e-12)
        #expect(abs(optimiser.secondMoment[0] - 0.00028975) < 1e-12)
    }

    @Test func weightDecayIsDecoupledFromTheGradient() throws {
        var optimiser = AdamW(parameterCount: 1, learningRate: 0.01, weightDecay: 0.1)
        var parameters = [2.0]
        try optimiser.update(&parameters, gradient: [0])
        // p -= lr * wd * p; a zero gradient then moves nothing.
        #expect(abs(parameters[0] - 1.998) < 1e-12)
    }

    @Test func mismatchedLengthsAreRefused() {
        var optimiser = AdamW(parameterCount: 2, learningRate: 0.01)
        var parameters = [1.0, 1.0]
        #expect(throws: SealTuningError.self) { try optimiser.update(&parameters, gradient: [1]) }
    }
}
