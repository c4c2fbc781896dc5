import Foundation

public struct HealthResponse: Codable, Sendable, Equatable {
    public var status: String
    public init(status: String = "ok") { self.status = status }
}

/// What the daemon is doing: `GET /api/status`.
public struct StatusResponse: Codable, Sendable, Equatable {
    public struct BLASInfo: Codable, Sendable, Equatable {
        public var core: String
        public var threads: Int
        public init(core: String, threads: Int) { self.core = core; self.threads = threads }
    }
    public struct Counts: Codable, Sendable, Equatable {
        public var active: Int
        public var queued: Int
        public init(active: Int, queued: Int) { self.active = active; self.queued = queued }
    }
    public struct Memory: Codable, Sendable, Equatable {
        public var residentBytes: Int
        public var peakResidentBytes: Int
        public init(residentBytes: Int, peakResidentBytes: Int) {
            self.residentBytes = residentBytes
            self.peakResidentBytes = peakResidentBytes
        }
    }
    public var version: String
    public var pid: Int32
    public var uptimeSeconds: Double
    public var model: ModelInfo?
    public var blas: BLASInfo
    public var plugins: Int
    public var generations: Counts
    public var jobs: Counts
    public var memory: Memory
    public var stateDirectory: String

    public init(version: String, pid: Int32, uptimeSeconds: Double, model: ModelInfo?, blas: BLASInfo, plugins: Int,
                generations: Counts, jobs: Counts, memory: Memory, stateDirectory: String) {
        self.version = version
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.model = model
        self.blas = blas
        self.plugins = plugins
        self.generations = generations
        self.jobs = jobs
        self.memory = memory
        self.stateDirectory = stateDirectory
    }
}

/// A model the daemon knows of: `GET /api/models`.
public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    public var loaded: Bool
    public var architecture: String?
    public var parameters: Int?
    public var layers: Int?
    public var heads: Int?
    public var keyValueHeads: Int?
    public var headDimension: Int?
    public var vocabularySize: Int?
    public var trainedContextLength: Int?
    public var contextLength: Int?
    public var chatTemplate: String?

    public init(name: String, path: String, loaded: Bool, architecture: String? = nil, parameters: Int? = nil,
                layers: Int? = nil, heads: Int? = nil, keyValueHeads: Int? = nil, headDimension: Int? = nil,
                vocabularySize: Int? = nil, trainedContextLength: Int? = nil, contextLength: Int? = nil,
                chatTemplate: String? = nil) {
        self.name = name
        self.path = path
        self.loaded = loaded
        self.architecture = architecture
        self.parameters = parameters
        self.layers = layers
        self.heads = heads
        self.keyValueHeads = keyValueHeads
        self.headDimension = headDimension
        self.vocabularySize = vocabularySize
        self.trainedContextLength = trainedContextLength
        self.contextLength = contextLength
        self.chatTemplate = chatTemplate
    }
}

/// `POST /api/models/load` (admin).
public struct LoadModelRequest: Codable, Sendable, Equatable {
    /// A GGUF file or Hugging Face directory; omitted = the configured/default model.
    public var path: String?
    /// Context window for sessions; omitted = the model's trained length.
    public var contextLength: Int?

    enum CodingKeys: String, CodingKey, CaseIterable { case path, contextLength }

    public init(path: String? = nil, contextLength: Int? = nil) {
        self.path = path
        self.contextLength = contextLength
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        contextLength = try c.decodeIfPresent(Int.self, forKey: .contextLength)
    }
}
