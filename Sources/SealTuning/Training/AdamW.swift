/// AdamW (Loshchilov & Hutter): Adam with weight decay applied to the parameters directly
/// instead of through the gradient, on a plain parameter vector.
///
/// The state is `Codable` so that a tuning job's checkpoint resumes the exact same run.
public struct AdamW: Sendable, Equatable, Codable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Decoupled decay `p -= learningRate * weightDecay * p`; SEAL uses none.
    public var weightDecay: Double
    /// Steps taken so far (the bias corrections use it).
    public private(set) var step: Int
    /// First and second moment estimates, one per parameter.
    public private(set) var firstMoment: [Double]
    public private(set) var secondMoment: [Double]

    public init(parameterCount: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        step = 0
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = [Double](repeating: 0, count: parameterCount)
    }

    /// One update of `parameters` along `gradient` (same length as the state).
    public mutating func update(_ parameters: inout [Double], gradient: [Double]) throws(SealTuningError) {
        guard parameters.count == firstMoment.count, gradient.count == firstMoment.count else {
            throw SealTuningError(.invalidGradient(reason: "AdamW holds \(firstMoment.count) parameters, got \(parameters.count) values and \(gradient.count) gradients"))
        }
        step += 1
        let correction1 = 1 - pow(beta1, Double(step))
        let correction2 = 1 - pow(beta2, Double(step))
        for i in parameters.indices {
            let g = gradient[i]
            if weightDecay != 0 { parameters[i] -= learningRate * weightDecay * parameters[i] }
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g
            let mean = firstMoment[i] / correction1
            let variance = secondMoment[i] / correction2
            parameters[i] -= learningRate * mean / (variance.squareRoot() + epsilon)
        }
    }
}

import Foundation
