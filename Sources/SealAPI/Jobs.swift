import Foundation

/// Long work runs as jobs: created, followed, cancelled, and kept across restarts.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// Generate a dataset of task samples with a task plugin.
    case dataset
    /// Run a dataset through the model (optionally with scales and context extension) and score it.
    case eval
    /// Learn SEAL scales on task samples and store them as a scale set.
    case tune
    /// Evaluate a task over context lengths × answer depths (accuracy heatmap).
    case grid
    /// Zero each attention head in turn and measure the change in answer loss and accuracy.
    case heads
    /// The model's perplexity on a text (llama.cpp's method, as `seal-run perplexity`).
    case perplexity
}

public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled
    /// The daemon stopped while the job ran; it is resumed from its checkpoint on start.
    case interrupted

    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// Parameters of a `dataset` job.
public struct DatasetJobParameters: Codable, Sendable, Equatable {
    /// Task plugin name, e.g. "passkey".
    public var task: String
    public var samples: Int
    /// Prompt length to aim for, in tokens of the loaded model.
    public var targetTokens: Int
    public var seed: UInt64?
    public var parameters: [String: JSONValue]?
    /// Render the task's answer prefix ("The pass key is") at the start of the assistant turn
    /// (default false). Counted in the prompt length; evaluations of the data set render it too.
    public var primeAnswer: Bool?
    /// "evaluation" (default) or "training": training data never shares hand-written content
    /// (needles, questions) with evaluation data.
    public var purpose: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case task, samples, targetTokens, seed, parameters, primeAnswer, purpose }

    public init(task: String, samples: Int, targetTokens: Int, seed: UInt64? = nil, parameters: [String: JSONValue]? = nil,
                primeAnswer: Bool? = nil, purpose: String? = nil) {
        self.task = task
        self.samples = samples
        self.targetTokens = targetTokens
        self.seed = seed
        self.parameters = parameters
        self.primeAnswer = primeAnswer
        self.purpose = purpose
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        samples = try c.decode(Int.self, forKey: .samples)
        targetTokens = try c.decode(Int.self, forKey: .targetTokens)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters)
        primeAnswer = try c.decodeIfPresent(Bool.self, forKey: .primeAnswer)
        purpose = try c.decodeIfPresent(String.self, forKey: .purpose)
    }
}

/// Parameters of an `eval` job.
public struct EvalJobParameters: Codable, Sendable, Equatable {
    /// Id of a dataset artifact.
    public var dataset: String
    /// Id of a scale-set artifact, or nil for the plain model.
    public var scaleSet: String?
    public var contextExtension: ContextExtensionChoice?
    /// Most new tokens per answer (default 32); the task's scorer reads the output.
    public var maxTokens: Int?

    enum CodingKeys: String, CodingKey, CaseIterable { case dataset, scaleSet, contextExtension, maxTokens }

    public init(dataset: String, scaleSet: String? = nil, contextExtension: ContextExtensionChoice? = nil, maxTokens: Int? = nil) {
        self.dataset = dataset
        self.scaleSet = scaleSet
        self.contextExtension = contextExtension
        self.maxTokens = maxTokens
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(String.self, forKey: .dataset)
        scaleSet = try c.decodeIfPresent(String.self, forKey: .scaleSet)
        contextExtension = try c.decodeIfPresent(ContextExtensionChoice.self, forKey: .contextExtension)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
    }
}

/// `POST /api/jobs` (admin): `kind` plus the matching parameter object.
public struct CreateJobRequest: Codable, Sendable, Equatable {
    public var kind: JobKind
    public var name: String?
    public var dataset: DatasetJobParameters?
    public var eval: EvalJobParameters?
    public var tune: TuneJobParameters?
    public var grid: GridJobParameters?
    public var heads: HeadsJobParameters?
    public var perplexity: PerplexityJobParameters?

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, name, dataset, eval, tune, grid, heads, perplexity }

    public init(kind: JobKind, name: String? = nil, dataset: DatasetJobParameters? = nil, eval: EvalJobParameters? = nil,
                tune: TuneJobParameters? = nil, grid: GridJobParameters? = nil, heads: HeadsJobParameters? = nil,
                perplexity: PerplexityJobParameters? = nil) {
        self.kind = kind
        self.name = name
        self.dataset = dataset
        self.eval = eval
        self.tune = tune
        self.grid = grid
        self.heads = heads
        self.perplexity = perplexity
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(JobKind.self, forKey: .kind)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        dataset = try c.decodeIfPresent(DatasetJobParameters.self, forKey: .dataset)
        eval = try c.decodeIfPresent(EvalJobParameters.self, forKey: .eval)
        tune = try c.decodeIfPresent(TuneJobParameters.self, forKey: .tune)
        grid = try c.decodeIfPresent(GridJobParameters.self, forKey: .grid)
        heads = try c.decodeIfPresent(HeadsJobParameters.self, forKey: .heads)
        perplexity = try c.decodeIfPresent(PerplexityJobParameters.self, forKey: .perplexity)
    }
}

public struct JobProgress: Codable, Sendable, Equatable {
    public var completed: Int
    public var total: Int
    public var message: String
    /// Tuning jobs: the mean answer loss of the latest step.
    public var loss: Double?
    /// Tuning jobs: tokens run forward and backward per second, since the job (re)started.
    public var tokensPerSecond: Double?
    /// Seconds the job expects to still need, when it can tell.
    public var etaSeconds: Double?
    public init(completed: Int, total: Int, message: String, loss: Double? = nil, tokensPerSecond: Double? = nil,
                etaSeconds: Double? = nil) {
        self.completed = completed
        self.total = total
        self.message = message
        self.loss = loss
        self.tokensPerSecond = tokensPerSecond
        self.etaSeconds = etaSeconds
    }
}

/// A job record: `GET /api/jobs/{id}`; also the data of `progress` events on `/api/jobs/{id}/events`.
public struct Job: Codable, Sendable, Equatable {
    public var id: String
    public var kind: JobKind
    public var name: String?
    public var state: JobState
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var progress: JobProgress
    public var request: CreateJobRequest
    /// Artifacts the job produced.
    public var artifacts: [String]
    /// A one-line result (e.g. "accuracy 0.84 (42/50)").
    public var summary: String?
    public var error: String?

    public init(id: String, kind: JobKind, name: String?, state: JobState, createdAt: Date, startedAt: Date? = nil,
                finishedAt: Date? = nil, progress: JobProgress, request: CreateJobRequest, artifacts: [String] = [],
                summary: String? = nil, error: String? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.progress = progress
        self.request = request
        self.artifacts = artifacts
        self.summary = summary
        self.error = error
    }
}
