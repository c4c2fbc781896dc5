import Foundation

/// Parameters of a `heads` job: the paper's motivating experiment. Each attention head's output
/// is zeroed in turn (through the head-scale hook) and the change in the task's answer loss and
/// accuracy is measured at two context lengths, against one baseline pass.
public struct HeadsJobParameters: Codable, Sendable, Equatable {
    /// Task plugin that makes the samples (lines, passkey, kv, niah).
    public var task: String
    /// The two model-input lengths in tokens, shorter first (the scatter's x and y).
    public var lengths: [Int]
    /// Samples per length: the sample budget. Every head costs `2 × samples` passes.
    public var samples: Int
    public var seed: UInt64?
    public var parameters: [String: JSONValue]?
    /// Render the task's answer prefix in the assistant turn (default true: the loss is then
    /// taken on the answer itself, not on the model's choice of format).
    public var primeAnswer: Bool?
    /// Scales in force while measuring (the zeroed head's multiplier replaces its own).
    public var scaleSet: String?
    public var contextExtension: ContextExtensionChoice?
    /// Most new tokens per greedy answer (default 16).
    public var maxTokens: Int?
    /// Only these layers' heads are zeroed (default all).
    public var layers: [Int]?
    /// Refuse to continue when the cost measured on the baseline exceeds this many seconds.
    public var maxSeconds: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case task, lengths, samples, seed, parameters, primeAnswer, scaleSet, contextExtension, maxTokens, layers, maxSeconds
    }

    public init(task: String, lengths: [Int], samples: Int, seed: UInt64? = nil, parameters: [String: JSONValue]? = nil,
                primeAnswer: Bool? = nil, scaleSet: String? = nil, contextExtension: ContextExtensionChoice? = nil,
                maxTokens: Int? = nil, layers: [Int]? = nil, maxSeconds: Double? = nil) {
        self.task = task
        self.lengths = lengths
        self.samples = samples
        self.seed = seed
        self.parameters = parameters
        self.primeAnswer = primeAnswer
        self.scaleSet = scaleSet
        self.contextExtension = contextExtension
        self.maxTokens = maxTokens
        self.layers = layers
        self.maxSeconds = maxSeconds
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        lengths = try c.decode([Int].self, forKey: .lengths)
        samples = try c.decode(Int.self, forKey: .samples)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters)
        primeAnswer = try c.decodeIfPresent(Bool.self, forKey: .primeAnswer)
        scaleSet = try c.decodeIfPresent(String.self, forKey: .scaleSet)
        contextExtension = try c.decodeIfPresent(ContextExtensionChoice.self, forKey: .contextExtension)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        layers = try c.decodeIfPresent([Int].self, forKey: .layers)
        maxSeconds = try c.decodeIfPresent(Double.self, forKey: .maxSeconds)
    }
}

/// The stored content of a `head-report` artifact.
public struct HeadReportContent: Codable, Sendable, Equatable {
    /// One sample of the unchanged model (scales as requested, no head zeroed).
    public struct BaselineSample: Codable, Sendable, Equatable {
        /// Index into `lengths`.
        public var length: Int
        public var index: Int
        public var promptTokens: Int
        public var answer: String
        public var output: String
        /// Mean cross-entropy (nats) of the answer tokens after the (primed) prompt.
        public var loss: Double
        public var correct: Bool
        public init(length: Int, index: Int, promptTokens: Int, answer: String, output: String, loss: Double, correct: Bool) {
            self.length = length
            self.index = index
            self.promptTokens = promptTokens
            self.answer = answer
            self.output = output
            self.loss = loss
            self.correct = correct
        }
    }

    /// What zeroing one head did, per length (same order as `lengths`).
    public struct HeadEffect: Codable, Sendable, Equatable {
        public var layer: Int
        public var head: Int
        /// Mean answer loss with the head zeroed.
        public var loss: [Double]
        /// `loss - baseline loss`: positive means the head helps (removing it hurts).
        public var lossChange: [Double]
        public var accuracy: [Accuracy]
        /// Accuracy with the head zeroed minus baseline accuracy (fraction, -1...1).
        public var accuracyChange: [Double]
        /// Which start of the job computed it (1 = first; a resumed job counts up).
        public var run: Int
        public init(layer: Int, head: Int, loss: [Double], lossChange: [Double], accuracy: [Accuracy],
                    accuracyChange: [Double], run: Int) {
            self.layer = layer
            self.head = head
            self.loss = loss
            self.lossChange = lossChange
            self.accuracy = accuracy
            self.accuracyChange = accuracyChange
            self.run = run
        }
    }

    /// The baseline at one length.
    public struct LengthSummary: Codable, Sendable, Equatable {
        public var length: Int
        public var meanPromptTokens: Int
        public var loss: Double
        public var accuracy: Accuracy
        public init(length: Int, meanPromptTokens: Int, loss: Double, accuracy: Accuracy) {
            self.length = length
            self.meanPromptTokens = meanPromptTokens
            self.loss = loss
            self.accuracy = accuracy
        }
    }

    public var task: String
    public var taskVersion: String
    public var parameters: HeadsJobParameters
    public var plan: String?
    /// The model's shape: layers × query heads.
    public var layerCount: Int
    public var headCount: Int
    public var lengths: [LengthSummary]
    public var baseline: [BaselineSample]
    /// Layer-major, only the layers measured.
    public var effects: [HeadEffect]
    /// Measured seconds of one pass over all samples (both lengths), from the baseline.
    public var secondsPerHead: Double

    public init(task: String, taskVersion: String, parameters: HeadsJobParameters, plan: String?, layerCount: Int,
                headCount: Int, lengths: [LengthSummary], baseline: [BaselineSample], effects: [HeadEffect],
                secondsPerHead: Double) {
        self.task = task
        self.taskVersion = taskVersion
        self.parameters = parameters
        self.plan = plan
        self.layerCount = layerCount
        self.headCount = headCount
        self.lengths = lengths
        self.baseline = baseline
        self.effects = effects
        self.secondsPerHead = secondsPerHead
    }
}
