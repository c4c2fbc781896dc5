import SealGeneration

/// Everything a training run needs to continue exactly where it stopped; tuning jobs
/// write it to their checkpoint.
public struct TrainingState: Sendable, Equatable, Codable {
    /// A validation measurement.
    public struct ValidationPoint: Sendable, Equatable, Codable {
        /// Optimiser steps done when it was measured.
        public var step: Int
        public var loss: Double
        public init(step: Int, loss: Double) {
            self.step = step
            self.loss = loss
        }
    }

    /// The parameter vector now.
    public var parameters: [Double]
    public var optimiser: AdamW
    /// Optimiser steps done.
    public var step: Int
    /// Mean answer loss (without the penalty) of each step's batch, before its update.
    public var lossCurve: [Double]
    public var validationCurve: [ValidationPoint]
    /// The parameters with the lowest validation loss so far, and that loss.
    public var bestParameters: [Double]?
    public var bestValidationLoss: Double?
    public var validationsWithoutImprovement: Int
    public var stoppedEarly: Bool
    /// Tokens run forward and backward so far.
    public var tokensProcessed: Int

    init(parameters: [Double], optimiser: AdamW) {
        self.parameters = parameters
        self.optimiser = optimiser
        step = 0
        lossCurve = []
        validationCurve = []
        bestParameters = nil
        bestValidationLoss = nil
        validationsWithoutImprovement = 0
        stoppedEarly = false
        tokensProcessed = 0
    }
}

/// The sample order must not depend on the standard library's shuffle, whose algorithm may change:
/// a plain Fisher-Yates over ``SeededRandom`` (fixed by its seed on every platform).
extension SeededRandom {
    mutating func shuffled<T>(_ values: [T]) -> [T] {
        var out = values
        guard out.count > 1 else { return out }
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            out.swapAt(i, j)
        }
        return out
    }
}
