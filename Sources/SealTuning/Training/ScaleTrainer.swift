import Foundation
import SealGeneration
import SealModel

/// Learns a scaling strategy's parameters on tuning samples, one optimiser step at a time.
///
/// Step-wise so that its caller (a tuning job) can report progress, honour cancellation and
/// checkpoint ``state`` between steps; a trainer made with the same samples, configuration and
/// a saved state continues the run exactly. The plan (validation split, sample order per
/// epoch, batches) is a pure function of the sample count and the configuration's seed.
public struct ScaleTrainer: Sendable {
    public let map: ScaleParameterMap
    public let configuration: TrainingConfiguration
    /// Indices of the samples trained on and of those held out for validation.
    public let trainingIndices: [Int]
    public let validationIndices: [Int]
    /// Sample indices of every optimiser step, all epochs.
    public let batches: [[Int]]
    public private(set) var state: TrainingState

    /// What one step did.
    public struct StepReport: Sendable {
        public var step: Int
        /// Mean answer loss of the batch before the update (without the penalty).
        public var loss: Double
        /// The gradient's global norm before clipping.
        public var gradientNorm: Double
        public var tokens: Int
        /// Set when this step ended with a validation measurement.
        public var validationLoss: Double?
    }

    public init(map: ScaleParameterMap, configuration: TrainingConfiguration, sampleCount: Int,
                resuming saved: TrainingState? = nil) throws(SealTuningError) {
        try configuration.validate()
        guard sampleCount >= 1 else { throw SealTuningError(.notEnoughSamples(reason: "no samples given")) }
        self.map = map
        self.configuration = configuration
        var random = SeededRandom(seed: configuration.seed)
        let all = Array(0..<sampleCount)
        if configuration.validationFraction > 0 {
            let held = max(1, Int((Double(sampleCount) * configuration.validationFraction).rounded()))
            guard held < sampleCount else {
                throw SealTuningError(.notEnoughSamples(reason: "\(sampleCount) samples leave none to train on after holding out \(held) for validation"))
            }
            let mixed = random.shuffled(all)
            validationIndices = Array(mixed.prefix(held)).sorted()
            trainingIndices = Array(mixed.dropFirst(held)).sorted()
        } else {
            validationIndices = []
            trainingIndices = all
        }
        var batches: [[Int]] = []
        for _ in 0..<configuration.epochs {
            let order = configuration.shuffle ? random.shuffled(trainingIndices) : trainingIndices
            stride(from: 0, to: order.count, by: configuration.batchSize).forEach {
                batches.append(Array(order[$0..<min($0 + configuration.batchSize, order.count)]))
            }
        }
        self.batches = batches
        let fresh = TrainingState(parameters: map.initialValues,
                                  optimiser: AdamW(parameterCount: map.parameterCount, learningRate: configuration.learningRate(for: map),
                                                   beta1: configuration.beta1, beta2: configuration.beta2,
                                                   epsilon: configuration.epsilon, weightDecay: configuration.weightDecay))
        if let saved {
            guard saved.parameters.count == map.parameterCount, saved.optimiser.firstMoment.count == map.parameterCount,
                  saved.step <= batches.count, saved.lossCurve.count == saved.step else {
                throw SealTuningError(.incompatibleState(reason: "the checkpoint holds \(saved.parameters.count) parameters at step \(saved.step); this run has \(map.parameterCount) parameters and \(batches.count) steps"))
            }
            state = saved
        } else {
            state = fresh
        }
    }

    public var totalSteps: Int { batches.count }
    public var isFinished: Bool { state.step >= batches.count || state.stoppedEarly }

    /// Steps between validation measurements (five per run unless configured).
    public var validationInterval: Int {
        configuration.validationInterval ?? max(1, batches.count / 5)
    }

    /// The learned parameters: the best validated ones when there is a validation split,
    /// the last ones otherwise.
    public var result: [Double] { state.bestParameters ?? state.parameters }

    /// The penalty on the parameters: the strategy's regularisation plus the configured pull towards 1.
    public func penalty(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        var (value, gradient) = ScaleParameterMap.penalty(map.regularisation, parameters)
        if configuration.l2TowardsOne > 0 {
            let pull = ScaleParameterMap.penalty(.init(kind: .l2, target: 1, weight: configuration.l2TowardsOne), parameters)
            value += pull.value
            for i in gradient.indices { gradient[i] += pull.gradient[i] }
        }
        return (value, gradient)
    }

    /// Runs the next batch forward and backward, updates the parameters, and measures the
    /// validation loss when one is due.
    public mutating func step(samples: [TuningSample], gradient engine: some ScaleGradientComputing,
                              validation: (any AnswerLossComputing)? = nil) throws(SealTuningError) -> StepReport {
        guard !isFinished else { throw SealTuningError(.invalidTrainingSetting(key: "step", reason: "the run is already finished")) }
        let batch = batches[state.step]
        guard let largest = batch.max(), largest < samples.count else {
            throw SealTuningError(.notEnoughSamples(reason: "the plan needs sample \(batch.max() ?? 0), \(samples.count) given"))
        }
        let scales = try map.headScales(state.parameters)
        var total = [Double](repeating: 0, count: map.parameterCount)
        var loss = 0.0
        var tokens = 0
        for index in batch {
            let result = try engine.lossAndGradient(for: samples[index], scales: scales)
            let parameterGradient = try map.parameterGradient(result.perChannel)
            for i in total.indices { total[i] += parameterGradient[i] }
            loss += result.loss
            tokens += samples[index].tokens.count
        }
        let count = Double(batch.count)
        loss /= count
        guard loss.isFinite else { throw SealTuningError(.diverged(step: state.step + 1, reason: "the loss is \(loss)")) }
        let penalty = penalty(state.parameters)
        for i in total.indices { total[i] = total[i] / count + penalty.gradient[i] }
        let norm = total.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if let clip = configuration.gradientClipNorm, norm > clip {
            let factor = clip / norm
            for i in total.indices { total[i] *= factor }
        }
        try state.optimiser.update(&state.parameters, gradient: total)
        if let bad = state.parameters.firstIndex(where: { !$0.isFinite }) {
            throw SealTuningError(.diverged(step: state.step + 1, reason: "parameter \(bad) became \(state.parameters[bad])"))
        }
        state.step += 1
        state.lossCurve.append(loss)
        state.tokensProcessed += tokens
        var report = StepReport(step: state.step, loss: loss, gradientNorm: norm, tokens: tokens)
        if let validation, !validationIndices.isEmpty,
           state.step % validationInterval == 0 || state.step == batches.count {
            report.validationLoss = try validate(samples: samples, with: validation)
        }
        return report
    }

    /// Mean validation loss of the current parameters; keeps the best parameters and
    /// stops the run when the patience is used up.
    private mutating func validate(samples: [TuningSample], with validation: any AnswerLossComputing) throws(SealTuningError) -> Double {
        let scales = try map.headScales(state.parameters)
        var sum = 0.0
        for index in validationIndices where index < samples.count {
            sum += try validation.loss(for: samples[index], scales: scales)
        }
        let loss = sum / Double(validationIndices.count)
        state.validationCurve.append(.init(step: state.step, loss: loss))
        if let best = state.bestValidationLoss, loss >= best {
            state.validationsWithoutImprovement += 1
            if let patience = configuration.earlyStoppingPatience, state.validationsWithoutImprovement >= patience {
                state.stoppedEarly = true
            }
        } else {
            state.bestValidationLoss = loss
            state.bestParameters = state.parameters
            state.validationsWithoutImprovement = 0
        }
        return loss
    }

    /// Mean loss of some samples under given parameters (before/after comparisons).
    public func meanLoss(of indices: [Int], samples: [TuningSample], parameters: [Double],
                         using loss: any AnswerLossComputing) throws(SealTuningError) -> Double {
        let scales = try map.headScales(parameters)
        var sum = 0.0
        for index in indices where index < samples.count { sum += try loss.loss(for: samples[index], scales: scales) }
        return indices.isEmpty ? .nan : sum / Double(indices.count)
    }
}
