import SealConfig
import SealServer

extension HTTPServerLimits {
    /// The server limits a configuration asks for (`limits` and `server` sections).
    init(_ configuration: SealdConfiguration) {
        self.init(
            maxRequestBodyBytes: configuration.limits.maxRequestBytes,
            requestTimeout: .seconds(configuration.limits.requestTimeoutSeconds),
            idleTimeout: .seconds(configuration.server.idleTimeoutSeconds),
            headTimeout: .seconds(configuration.server.headTimeoutSeconds),
            bodyTimeout: .seconds(configuration.server.bodyTimeoutSeconds),
            maxConnections: configuration.server.maxConnections)
    }
}

/// A configuration key that only a restart applies: a reload that finds it changed
/// keeps the running value and names the key in its answer and in the log.
struct RestartOnlyKey: Sendable {
    let name: String
    private let differs: @Sendable (SealdConfiguration, SealdConfiguration) -> Bool
    private let keep: @Sendable (inout SealdConfiguration, SealdConfiguration) -> Void

    init<Value: Equatable & Sendable>(_ name: String, _ path: WritableKeyPath<SealdConfiguration, Value> & Sendable) {
        self.name = name
        differs = { $0[keyPath: path] != $1[keyPath: path] }
        keep = { $0[keyPath: path] = $1[keyPath: path] }
    }

    /// Every key a reload cannot apply to the running daemon, and why.
    static let all: [RestartOnlyKey] = [
        // The listening socket and the state directory are set up once.
        RestartOnlyKey("socket.path", \.socket.path),
        RestartOnlyKey("socket.mode", \.socket.mode),
        RestartOnlyKey("socket.group", \.socket.group),
        RestartOnlyKey("state_directory", \.stateDirectory),
        // OpenBLAS' thread count and the loaded model's context are fixed at start.
        RestartOnlyKey("model.threads", \.model.threads),
        RestartOnlyKey("model.context_length", \.model.contextLength),
        RestartOnlyKey("model.weights", \.model.weights),
        RestartOnlyKey("model.kv_cache", \.model.kvCache),
        // The job manager is made once; the log handler's level is set at bootstrap.
        RestartOnlyKey("limits.max_concurrent_jobs", \.limits.maxConcurrentJobs),
        RestartOnlyKey("log.level", \.log.level),
    ]

    /// The restart-only keys whose value in `fresh` differs from `running`; those
    /// values in `fresh` are set back to the running ones, so that the reloaded
    /// configuration reports what is in force.
    static func holdBack(_ fresh: inout SealdConfiguration, running: SealdConfiguration) -> [String] {
        var changed: [String] = []
        for key in all where key.differs(fresh, running) {
            changed.append(key.name)
            key.keep(&fresh, running)
        }
        return changed
    }
}
