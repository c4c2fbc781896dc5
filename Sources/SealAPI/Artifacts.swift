import Foundation

public enum ArtifactKind: String, Codable, Sendable, CaseIterable {
    case dataset
    case scaleSet = "scale-set"
    case evalReport = "eval-report"
    case gridReport = "grid-report"
    case headReport = "head-report"
}

/// Something the daemon produced and keeps in its state directory.
public struct Artifact: Codable, Sendable, Equatable {
    public var id: String
    public var kind: ArtifactKind
    public var name: String
    public var createdAt: Date
    public var sizeBytes: Int
    /// Short facts for listings (task, samples, accuracy, strategy, ...).
    public var summary: [String: JSONValue]

    public init(id: String, kind: ArtifactKind, name: String, createdAt: Date, sizeBytes: Int, summary: [String: JSONValue]) {
        self.id = id
        self.kind = kind
        self.name = name
        self.createdAt = createdAt
        self.sizeBytes = sizeBytes
        self.summary = summary
    }
}

/// `POST /api/scale-sets` (admin): a scale set from given values through a scaling-strategy plugin.
public struct CreateScaleSetRequest: Codable, Sendable, Equatable {
    public var name: String
    /// Scaling-strategy plugin, e.g. "headwise".
    public var strategy: String
    public var parameters: [String: JSONValue]?
    /// One value per strategy parameter; omitted = the strategy's initial values.
    public var values: [Double]?

    enum CodingKeys: String, CodingKey, CaseIterable { case name, strategy, parameters, values }

    public init(name: String, strategy: String, parameters: [String: JSONValue]? = nil, values: [Double]? = nil) {
        self.name = name
        self.strategy = strategy
        self.parameters = parameters
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        strategy = try c.decode(String.self, forKey: .strategy)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters)
        values = try c.decodeIfPresent([Double].self, forKey: .values)
    }
}

/// The stored content of a dataset artifact.
public struct DatasetContent: Codable, Sendable, Equatable {
    public struct Sample: Codable, Sendable, Equatable {
        public var index: Int
        public var prompt: String
        public var answer: String
        public var label: String
        /// Tokens the model reads: chat template, prompt and (when primed) the answer prefix.
        public var promptTokens: Int
        /// The task's answer prefix ("The pass key is"); absent for tasks without one.
        public var answerPrefix: String?
        /// Facts the task reports about the sample (depth, keys, ...).
        public var fields: [String: JSONValue]?
        public init(index: Int, prompt: String, answer: String, label: String, promptTokens: Int,
                    answerPrefix: String? = nil, fields: [String: JSONValue]? = nil) {
            self.index = index
            self.prompt = prompt
            self.answer = answer
            self.label = label
            self.promptTokens = promptTokens
            self.answerPrefix = answerPrefix
            self.fields = fields
        }
    }
    public var task: String
    public var taskVersion: String
    public var seed: UInt64
    public var targetTokens: Int
    public var parameters: [String: JSONValue]
    /// Whether prompts end with the answer prefix rendered in the assistant turn.
    public var primeAnswer: Bool?
    /// "evaluation" or "training" (absent = evaluation).
    public var purpose: String?
    public var samples: [Sample]
    public init(task: String, taskVersion: String, seed: UInt64, targetTokens: Int, parameters: [String: JSONValue],
                primeAnswer: Bool? = nil, purpose: String? = nil, samples: [Sample]) {
        self.task = task
        self.taskVersion = taskVersion
        self.seed = seed
        self.targetTokens = targetTokens
        self.parameters = parameters
        self.primeAnswer = primeAnswer
        self.purpose = purpose
        self.samples = samples
    }
}

/// The stored content of a scale-set artifact.
public struct ScaleSetContent: Codable, Sendable, Equatable {
    public var strategy: String
    public var parameters: [String: JSONValue]
    /// Model it was made for (name, layers, heads, head dimension) so a mismatch is refused.
    public var model: String
    public var layers: Int
    public var heads: Int
    public var headDimension: Int
    public var values: [Double]
    /// Expanded multipliers, `scales[layer][head * headDimension + channel]`.
    public var scales: [[Double]]
    /// How the values were learned (tuning jobs); nil for scale sets made from given values.
    public var training: ScaleSetTraining?
    public init(strategy: String, parameters: [String: JSONValue], model: String, layers: Int, heads: Int,
                headDimension: Int, values: [Double], scales: [[Double]], training: ScaleSetTraining? = nil) {
        self.training = training
        self.strategy = strategy
        self.parameters = parameters
        self.model = model
        self.layers = layers
        self.heads = heads
        self.headDimension = headDimension
        self.values = values
        self.scales = scales
    }
}

/// The stored content of an eval report.
public struct EvalReportContent: Codable, Sendable, Equatable {
    public struct Result: Codable, Sendable, Equatable {
        public var index: Int
        public var promptTokens: Int
        public var answer: String
        public var output: String
        public var score: Double
        public var correct: Bool
        /// The scorer's explanation, when it gives one.
        public var reason: String?
        /// The sample's task fields (depth, keys, ...).
        public var fields: [String: JSONValue]?
        public init(index: Int, promptTokens: Int, answer: String, output: String, score: Double, correct: Bool,
                    reason: String? = nil, fields: [String: JSONValue]? = nil) {
            self.index = index
            self.promptTokens = promptTokens
            self.answer = answer
            self.output = output
            self.score = score
            self.correct = correct
            self.reason = reason
            self.fields = fields
        }
    }
    public var dataset: String
    public var scaleSet: String?
    public var contextExtension: ContextExtensionChoice?
    /// The context-extension plugin's label of the plan used ("linear x4").
    public var plan: String?
    public var accuracy: Double
    public var correct: Int
    public var total: Int
    public var results: [Result]
    public init(dataset: String, scaleSet: String?, contextExtension: ContextExtensionChoice?, plan: String? = nil,
                results: [Result]) {
        self.dataset = dataset
        self.scaleSet = scaleSet
        self.contextExtension = contextExtension
        self.plan = plan
        self.results = results
        total = results.count
        correct = results.filter(\.correct).count
        accuracy = results.isEmpty ? 0 : Double(correct) / Double(results.count)
    }
}
