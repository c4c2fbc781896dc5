import Foundation

/// Parameters of a `grid` job: a task evaluated over context lengths × answer depths, the
/// needle-in-a-haystack picture of where retrieval works and where it fails.
public struct GridJobParameters: Codable, Sendable, Equatable {
    /// Task plugin with `depth_mode` and `depth` parameters (lines, passkey, kv, niah).
    public var task: String
    /// Model-input lengths, in tokens (the columns).
    public var lengths: [Int]
    /// Answer depths in percent, 0 = start, 100 = end (the rows).
    public var depths: [Double]
    public var samplesPerCell: Int
    public var seed: UInt64?
    /// Other task parameters (depth_mode and depth are set per cell).
    public var parameters: [String: JSONValue]?
    /// Render the task's answer prefix in the assistant turn.
    public var primeAnswer: Bool?
    public var scaleSet: String?
    public var contextExtension: ContextExtensionChoice?
    /// Most new tokens per answer (greedy), default 32.
    public var maxTokens: Int?
    /// Keep the KV state of the prefix a prompt shares with the previous one (default true).
    /// Exact: answers are the same either way; false only to measure what reuse saves.
    public var prefixReuse: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case task, lengths, depths, samplesPerCell, seed, parameters, primeAnswer, scaleSet, contextExtension, maxTokens
        case prefixReuse
    }

    public init(task: String, lengths: [Int], depths: [Double], samplesPerCell: Int, seed: UInt64? = nil,
                parameters: [String: JSONValue]? = nil, primeAnswer: Bool? = nil, scaleSet: String? = nil,
                contextExtension: ContextExtensionChoice? = nil, maxTokens: Int? = nil, prefixReuse: Bool? = nil) {
        self.task = task
        self.lengths = lengths
        self.depths = depths
        self.samplesPerCell = samplesPerCell
        self.seed = seed
        self.parameters = parameters
        self.primeAnswer = primeAnswer
        self.scaleSet = scaleSet
        self.contextExtension = contextExtension
        self.maxTokens = maxTokens
        self.prefixReuse = prefixReuse
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        lengths = try c.decode([Int].self, forKey: .lengths)
        depths = try c.decode([Double].self, forKey: .depths)
        samplesPerCell = try c.decode(Int.self, forKey: .samplesPerCell)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters)
        primeAnswer = try c.decodeIfPresent(Bool.self, forKey: .primeAnswer)
        scaleSet = try c.decodeIfPresent(String.self, forKey: .scaleSet)
        contextExtension = try c.decodeIfPresent(ContextExtensionChoice.self, forKey: .contextExtension)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        prefixReuse = try c.decodeIfPresent(Bool.self, forKey: .prefixReuse)
    }

    /// Samples in the whole grid.
    public var totalSamples: Int { lengths.count * depths.count * samplesPerCell }
}

/// A share of correct answers with its 95% Wilson score interval.
public struct Accuracy: Codable, Sendable, Equatable {
    public var correct: Int
    public var total: Int
    /// correct / total (0 when total is 0).
    public var accuracy: Double
    /// The 95% Wilson score interval: honest at 0 and 1 and for small samples, unlike p ± 2se.
    public var low: Double
    public var high: Double

    public init(correct: Int, total: Int) {
        self.correct = correct
        self.total = total
        guard total > 0 else {
            (accuracy, low, high) = (0, 0, 1)
            return
        }
        let n = Double(total), p = Double(correct) / n, z = 1.959963984540054
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let margin = z * ((p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / denominator
        accuracy = p
        low = max(0, centre - margin)
        high = min(1, centre + margin)
    }
}

/// The stored content of a `grid-report` artifact.
public struct GridReportContent: Codable, Sendable, Equatable {
    public struct Cell: Codable, Sendable, Equatable {
        public var length: Int
        public var depth: Double
        public var result: Accuracy
        /// Mean task score (e.g. ROUGE recall), which can be partial where accuracy is 0 or 1.
        public var meanScore: Double
        /// Mean model-input tokens of the cell's prompts (the real length behind `length`).
        public var meanPromptTokens: Int
        public init(length: Int, depth: Double, result: Accuracy, meanScore: Double, meanPromptTokens: Int) {
            self.length = length
            self.depth = depth
            self.result = result
            self.meanScore = meanScore
            self.meanPromptTokens = meanPromptTokens
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// Cell number: depth row * lengths.count + length column.
        public var cell: Int
        public var index: Int
        public var promptTokens: Int
        public var answer: String
        public var output: String
        public var score: Double
        public var correct: Bool
        public var reason: String?
        /// Which run of the job computed it (1 = first; a resumed job adds 1), so a resumed
        /// grid shows that finished work was kept.
        public var run: Int
        public init(cell: Int, index: Int, promptTokens: Int, answer: String, output: String, score: Double,
                    correct: Bool, reason: String?, run: Int) {
            self.cell = cell
            self.index = index
            self.promptTokens = promptTokens
            self.answer = answer
            self.output = output
            self.score = score
            self.correct = correct
            self.reason = reason
            self.run = run
        }
    }

    public var task: String
    public var taskVersion: String
    public var parameters: GridJobParameters
    /// The context-extension plan's label, when one was used.
    public var plan: String?
    /// Row-major: depths × lengths.
    public var cells: [Cell]
    public var total: Accuracy
    public var results: [Result]

    public init(task: String, taskVersion: String, parameters: GridJobParameters, plan: String?, results: [Result]) {
        self.task = task
        self.taskVersion = taskVersion
        self.parameters = parameters
        self.plan = plan
        self.results = results
        // Grouped once: filtering all results per cell cost cells × results (4096 × 100,000 at the limits).
        let byCell = Dictionary(grouping: results, by: \.cell)
        var cells: [Cell] = []
        for (row, depth) in parameters.depths.enumerated() {
            for (column, length) in parameters.lengths.enumerated() {
                let mine = byCell[row * parameters.lengths.count + column] ?? []
                let count = max(1, mine.count)
                cells.append(Cell(length: length, depth: depth,
                                  result: Accuracy(correct: mine.filter(\.correct).count, total: mine.count),
                                  meanScore: mine.map(\.score).reduce(0, +) / Double(count),
                                  meanPromptTokens: mine.map(\.promptTokens).reduce(0, +) / count))
            }
        }
        self.cells = cells
        total = Accuracy(correct: results.filter(\.correct).count, total: results.count)
    }

    /// The cell at a depth row and length column.
    public func cell(row: Int, column: Int) -> Cell? {
        let index = row * parameters.lengths.count + column
        return cells.indices.contains(index) ? cells[index] : nil
    }
}
