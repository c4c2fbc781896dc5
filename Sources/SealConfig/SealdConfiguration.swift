/// The daemon's configuration, as read from `/etc/seal/seald.yaml`.
///
/// Every property has a default, and `SealdConfiguration()` is exactly what an
/// empty (or absent) file means. `etc/seald.yaml` in the repository documents the
/// same defaults key by key; a test keeps the two equal.
///
/// The YAML keys are the snake_case spelling of the property names
/// (`stateDirectory` is `state_directory`). Parse a file with
/// ``load(from:)`` or a string with ``parse(yaml:source:)``: both reject unknown
/// keys and bad values with a ``ConfigurationError`` that names the file, line
/// and key path.
public struct SealdConfiguration: Sendable, Equatable, Codable {
    /// Where and how the API socket is created (ignored when systemd passes a socket).
    public var socket: Socket
    /// Which model to serve and how to run it.
    public var model: Model
    /// Where plugins are looked for.
    public var plugins: Plugins
    /// Writable state (jobs, caches). systemd's `StateDirectory=seal` creates it.
    public var stateDirectory: String
    /// Admission and size limits.
    public var limits: Limits
    /// Connection deadlines and the connection cap of the API server.
    public var server: Server
    /// Logging.
    public var log: Log
    /// Who may do what, beyond what the socket's mode and group already restrict.
    public var access: Access

    /// The default configuration; each argument defaults to its documented value.
    public init(
        socket: Socket = Socket(),
        model: Model = Model(),
        plugins: Plugins = Plugins(),
        stateDirectory: String = "/var/lib/seal",
        limits: Limits = Limits(),
        server: Server = Server(),
        log: Log = Log(),
        access: Access = Access()
    ) {
        self.socket = socket
        self.model = model
        self.plugins = plugins
        self.stateDirectory = stateDirectory
        self.limits = limits
        self.server = server
        self.log = log
        self.access = access
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case socket, model, plugins
        case stateDirectory = "state_directory"
        case limits, server, log, access
    }

    /// The API socket: a Unix domain stream socket speaking HTTP/1.1.
    public struct Socket: Sendable, Equatable, Codable {
        /// Absolute path of the socket file. Default `/run/seal/seald.sock`
        /// (`RuntimeDirectory=seal` creates `/run/seal`).
        public var path: String
        /// Permission bits of the socket file. Default `0660`: owner and group may connect.
        public var mode: FileMode
        /// Group owning the socket file (name or numeric gid); `nil` keeps the daemon's group.
        public var group: String?

        public init(path: String = "/run/seal/seald.sock", mode: FileMode = FileMode(0o660), group: String? = nil) {
            self.path = path
            self.mode = mode
            self.group = group
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case path, mode, group
        }
    }

    /// The model served.
    public struct Model: Sendable, Equatable, Codable {
        /// Absolute path of a model file or directory; `nil` finds the default model.
        public var path: String?
        /// Compute threads (``BLAS/threadCount``: products split over them, attention tiles,
        /// decode); `0` takes OpenBLAS' own default count. OpenBLAS itself runs single-threaded.
        public var threads: Int
        /// Context length to run with; `nil` uses the model's trained context.
        public var contextLength: Int?
        /// Scale-set artifact applied to generations that name none (a tuned model by default);
        /// `nil` serves the plain model. Requests opt out with `"scale_set": "none"`.
        public var scaleSet: String?
        /// The context extension requests run with when they name none and the model declares
        /// no RoPE scaling of its own; `nil` means plain RoPE. Checked against the loaded
        /// plugins at start and on reload.
        public var contextExtension: ContextExtensionDefault?
        /// Whether control-token spellings inside chat message content ("<|im_start|>") are
        /// read as control tokens. Default `false`: content is text, so a client cannot forge
        /// turns; only a deployment whose every client is trusted should turn this on.
        public var specialTokensInMessages: Bool
        /// How the model's matrices are held: fp32 (the default and reference, the only storage
        /// SEAL tuning accepts), bf16 or Q8_0 (smaller, faster decoding, slightly less exact).
        public var weights: Weights
        /// How sessions' KV caches hold keys and values: fp32, f16 (half the bytes decode reads
        /// at long contexts), or auto (f16 only for windows beyond the model's trained context).
        public var kvCache: KVCache

        /// The KV cache types `model.kv_cache` accepts (SealModel's `KVCachePolicy` spellings).
        public enum KVCache: String, Sendable, Equatable, Codable, CaseIterable {
            case f32, f16, auto
        }

        /// The weight storages `model.weights` accepts (SealModel's `WeightStorage` spellings).
        public enum Weights: String, Sendable, Equatable, Codable, CaseIterable {
            case f32, bf16, q8_0
        }

        public init(path: String? = nil, threads: Int = 0, contextLength: Int? = nil, scaleSet: String? = nil,
                    contextExtension: ContextExtensionDefault? = nil, specialTokensInMessages: Bool = false,
                    weights: Weights = .f32, kvCache: KVCache = .auto) {
            self.specialTokensInMessages = specialTokensInMessages
            self.weights = weights
            self.kvCache = kvCache
            self.path = path
            self.threads = threads
            self.contextLength = contextLength
            self.scaleSet = scaleSet
            self.contextExtension = contextExtension
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case path, threads
            case contextLength = "context_length"
            case scaleSet = "scale_set"
            case contextExtension = "context_extension"
            case specialTokensInMessages = "special_tokens_in_messages"
            case weights
            case kvCache = "kv_cache"
        }
    }

    /// Plugin search path.
    public struct Plugins: Sendable, Equatable, Codable {
        /// Directories searched for plugin shared objects, in order.
        public var directories: [String]

        public init(directories: [String] = ["/usr/lib/seal/plugins", "/etc/seal/plugins.d"]) {
            self.directories = directories
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case directories
        }
    }

    /// Admission and size limits. They protect a small machine from a busy client.
    public struct Limits: Sendable, Equatable, Codable {
        /// Generations decoding at the same time. Default 2.
        public var maxConcurrentGenerations: Int
        /// Generations waiting for a slot before new ones get 429. Default 16; 0 refuses at once.
        public var maxQueuedGenerations: Int
        /// Background jobs (evaluations, calibrations) running at once. Default 1.
        public var maxConcurrentJobs: Int
        /// Largest request body accepted; larger ones get 413. Default 1 MiB.
        public var maxRequestBytes: Int
        /// Longest prompt accepted, in tokens; `nil` means the context length.
        public var maxPromptTokens: Int?
        /// Wall-clock limit of one request, streaming included. Default 600 s.
        public var requestTimeoutSeconds: Int
        /// Memory, in MiB, that running generations may hold for KV caches and
        /// scratch together; a request whose window cannot fit gets 422, one that
        /// cannot fit beside running generations gets 503. `nil`: half the memory
        /// available when seald starts (MemAvailable, or the cgroup's remaining
        /// limit if lower). Bounds 16...1048576 (1 TiB).
        public var memoryBudgetMB: Int?

        public init(
            maxConcurrentGenerations: Int = 2,
            maxQueuedGenerations: Int = 16,
            maxConcurrentJobs: Int = 1,
            maxRequestBytes: Int = 1_048_576,
            maxPromptTokens: Int? = nil,
            requestTimeoutSeconds: Int = 600,
            memoryBudgetMB: Int? = nil
        ) {
            self.maxConcurrentGenerations = maxConcurrentGenerations
            self.maxQueuedGenerations = maxQueuedGenerations
            self.maxConcurrentJobs = maxConcurrentJobs
            self.maxRequestBytes = maxRequestBytes
            self.maxPromptTokens = maxPromptTokens
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.memoryBudgetMB = memoryBudgetMB
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxConcurrentGenerations = "max_concurrent_generations"
            case maxQueuedGenerations = "max_queued_generations"
            case maxConcurrentJobs = "max_concurrent_jobs"
            case maxRequestBytes = "max_request_bytes"
            case maxPromptTokens = "max_prompt_tokens"
            case requestTimeoutSeconds = "request_timeout_seconds"
            case memoryBudgetMB = "memory_budget_mb"
        }
    }

    /// Logging.
    public struct Log: Sendable, Equatable, Codable {
        /// Lowest level written. Default `info`.
        public var level: LogLevel

        public init(level: LogLevel = .info) {
            self.level = level
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case level
        }
    }

    /// Application-level access control on top of the socket's permissions.
    public struct Access: Sendable, Equatable, Codable {
        /// Members of this group may change state (load models, start jobs) besides
        /// root and the daemon's user. `nil`: only those two.
        public var adminGroup: String?
        /// When set, reading requires membership of this group (or admin rights);
        /// `nil`: anyone who can open the socket may read.
        public var readGroup: String?

        public init(adminGroup: String? = nil, readGroup: String? = nil) {
            self.adminGroup = adminGroup
            self.readGroup = readGroup
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case adminGroup = "admin_group"
            case readGroup = "read_group"
        }
    }
}
