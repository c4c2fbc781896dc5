/// How scales are trained. The defaults are the SEAL paper's: AdamW without weight decay
/// or learning-rate decay, batch size 1, one epoch, learning rate 1e-2 for head-wise and
/// 2e-2 for channel-wise strategies; every one can be overridden.
public struct TrainingConfiguration: Sendable, Equatable, Codable {
    /// nil: ``defaultLearningRate(for:)`` of the strategy.
    public var learningRate: Double?
    public var epochs: Int
    /// Samples per optimiser step (gradients averaged).
    public var batchSize: Int
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// AdamW's decoupled weight decay (towards 0).
    public var weightDecay: Double
    /// Weight of an extra `Σ (p - 1)²` penalty pulling scales towards identity (added to the
    /// strategy's own regularisation); 0 disables it.
    public var l2TowardsOne: Double
    /// Largest global L2 norm of a step's gradient; larger ones are scaled down. nil: no clipping.
    public var gradientClipNorm: Double?
    /// Share of the samples held out to measure a validation loss; 0: no validation.
    public var validationFraction: Double
    /// Optimiser steps between validation measurements (nil: five per run).
    public var validationInterval: Int?
    /// Stop after this many validations without improvement and keep the best scales
    /// (needs a validation split). nil: train to the end (the best scales are still kept).
    public var earlyStoppingPatience: Int?
    /// Seeds the sample order and the validation split: one seed, one run.
    public var seed: UInt64
    /// Visit the samples in a seeded random order each epoch (otherwise in dataset order).
    public var shuffle: Bool

    public init(learningRate: Double? = nil, epochs: Int = 1, batchSize: Int = 1, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0, l2TowardsOne: Double = 0,
                gradientClipNorm: Double? = nil, validationFraction: Double = 0, validationInterval: Int? = nil,
                earlyStoppingPatience: Int? = nil, seed: UInt64 = 0, shuffle: Bool = true) {
        self.learningRate = learningRate
        self.epochs = epochs
        self.batchSize = batchSize
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.l2TowardsOne = l2TowardsOne
        self.gradientClipNorm = gradientClipNorm
        self.validationFraction = validationFraction
        self.validationInterval = validationInterval
        self.earlyStoppingPatience = earlyStoppingPatience
        self.seed = seed
        self.shuffle = shuffle
    }

    /// The paper's rates: 2e-2 when a strategy has more parameters than heads (channel-wise),
    /// 1e-2 otherwise (head-wise and coarser).
    public static func defaultLearningRate(for map: ScaleParameterMap) -> Double {
        map.parameterCount > map.layerCount * map.headCount ? 2e-2 : 1e-2
    }

    public func learningRate(for map: ScaleParameterMap) -> Double {
        learningRate ?? Self.defaultLearningRate(for: map)
    }

    /// Checks every setting's range; values come from requests.
    public func validate() throws(SealTuningError) {
        func check(_ ok: Bool, _ key: String, _ reason: String) throws(SealTuningError) {
            if !ok { throw SealTuningError(.invalidTrainingSetting(key: key, reason: reason)) }
        }
        if let rate = learningRate { try check(rate.isFinite && rate > 0 && rate <= 10, "learning_rate", "must be in (0, 10], got \(rate)") }
        try check((1...100).contains(epochs), "epochs", "must be in 1...100, got \(epochs)")
        try check((1...1024).contains(batchSize), "batch_size", "must be in 1...1024, got \(batchSize)")
        try check(beta1.isFinite && beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1), got \(beta1)")
        try check(beta2.isFinite && beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1), got \(beta2)")
        try check(epsilon.isFinite && epsilon > 0 && epsilon <= 1, "epsilon", "must be in (0, 1], got \(epsilon)")
        try check(weightDecay.isFinite && weightDecay >= 0 && weightDecay <= 1, "weight_decay", "must be in [0, 1], got \(weightDecay)")
        try check(l2TowardsOne.isFinite && l2TowardsOne >= 0 && l2TowardsOne <= 1e6, "l2", "must be in [0, 1e6], got \(l2TowardsOne)")
        if let clip = gradientClipNorm { try check(clip.isFinite && clip > 0 && clip <= 1e9, "clip_norm", "must be in (0, 1e9], got \(clip)") }
        try check(validationFraction.isFinite && validationFraction >= 0 && validationFraction <= 0.5,
                  "validation_fraction", "must be in [0, 0.5], got \(validationFraction)")
        if let interval = validationInterval { try check((1...100_000).contains(interval), "validation_interval", "must be in 1...100000, got \(interval)") }
        if let patience = earlyStoppingPatience {
            try check((1...1000).contains(patience), "patience", "must be in 1...1000, got \(patience)")
            try check(validationFraction > 0, "patience", "early stopping needs a validation split (validation_fraction > 0)")
        }
    }
}
