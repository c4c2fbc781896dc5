import Foundation
import Logging
import SealAPI
import SealConfig
import SealModel
import SealPlugins
import SealTensor

/// The daemon's core: model host, plugins, state, generations and jobs,
/// independent of how requests arrive (the HTTP routes in `SealRoutes` call into it).
public final class SealService: Sendable {
    public let host: ModelHost
    package let plugins: PluginBridge
    public let store: StateStore
    package let generation: GenerationService
    package let jobs: JobManager
    public let metrics: ServiceMetrics
    package let logger: Logger
    package let started = Date()
    let configuration: ConfigurationBox

    public init(configuration: SealdConfiguration, logger: Logger) throws {
        self.logger = logger
        self.configuration = ConfigurationBox(configuration)
        host = ModelHost(logger: logger, weights: WeightStorage(rawValue: configuration.model.weights.rawValue) ?? .f32,
                         kvCache: KVCachePolicy(rawValue: configuration.model.kvCache.rawValue) ?? .f32)
        plugins = PluginBridge(registry: PluginRegistry(directories: configuration.plugins.directories.map { URL(fileURLWithPath: $0) }))
        store = try StateStore(root: URL(fileURLWithPath: configuration.stateDirectory), logger: logger)
        metrics = ServiceMetrics()
        let limits = ServiceLimits(configuration.limits)
        let resources = ComputeResources(limits: limits, blasThreads: configuration.model.threads)
        let box = self.configuration
        generation = GenerationService(host: host, plugins: plugins, store: store, resources: resources, metrics: metrics,
                                       logger: logger, defaultScaleSet: { box.value.model.scaleSet },
                                       specialTokensInMessages: { box.value.model.specialTokensInMessages })
        let runner = JobRunner(host: host, plugins: plugins, store: store, generation: generation, logger: logger,
                               makeGradientEngine: GradientEngines.reverseMode)
        jobs = JobManager(store: store, runner: runner, maxConcurrent: limits.maxConcurrentJobs, logger: logger)
        for error in plugins.list().errors {
            logger.warning("plugin refused", metadata: ["path": "\(error.path)", "reason": "\(error.message)"])
        }
        // A default context extension the plugins refuse stops the daemon here, with the reason.
        try plugins.validateDefault(configuration.model.contextExtension, rope: nil)
        plugins.configuredDefault.withLock { $0 = configuration.model.contextExtension }
        // Requests that arrive before start() has loaded the model wait for it.
        host.beginLoading()
    }

    /// Loads the configured (or default) model and resumes unfinished jobs.
    public func start() async {
        defer { host.endLoading() }
        let config = configuration.value
        do {
            let url = try config.model.path.map { URL(fileURLWithPath: $0) } ?? ModelLocator.defaultModel()
            _ = try await host.load(path: url, contextLength: config.model.contextLength)
            if let rope = (try? host.current())?.model.transformer.ropeParameters {
                do {
                    try plugins.validateDefault(config.model.contextExtension, rope: rope)
                } catch {
                    logger.error("model.context_extension does not work with this model; requests run without it",
                                 metadata: ["error": "\(error.message)"])
                    plugins.configuredDefault.withLock { $0 = nil }
                }
            }
        } catch {
            logger.error("no model loaded at start-up; the daemon serves without one until a model is loaded",
                         metadata: ["error": "\(error)"])
        }
        await jobs.resumeUnfinished()
    }

    /// Readies the service for the process to exit (SIGTERM) without waiting for jobs:
    /// running ones are recorded `interrupted` and resume from their checkpoints at the next
    /// start, and clients following them see their event streams end.
    public func stop() async {
        let interrupted = await jobs.stopForShutdown()
        if interrupted > 0 {
            logger.notice("jobs interrupted; they resume from their checkpoints at the next start",
                          metadata: ["jobs": "\(interrupted)"])
        }
    }

    /// Where running jobs report one-line progress (seald passes it to systemd as STATUS=).
    public func reportJobStatus(to reporter: @escaping @Sendable (String) -> Void) async {
        await jobs.setStatusReporter(reporter)
    }

    /// Re-reads nothing itself: the caller passes the new configuration (SIGHUP or POST /api/reload).
    ///
    /// A default context extension the rescanned plugins refuse (for the loaded model) refuses
    /// the reload with 422 `invalid_configuration`; the configuration in force stays.
    public func reload(_ configuration: SealdConfiguration) throws -> PluginListResponse {
        let report = plugins.rescan()
        try plugins.validateDefault(configuration.model.contextExtension, rope: (try? host.current())?.model.transformer.ropeParameters)
        plugins.configuredDefault.withLock { $0 = configuration.model.contextExtension }
        self.configuration.value = configuration
        let limits = ServiceLimits(configuration.limits)
        generation.resources.apply(limits)
        logger.notice("generation limits applied", metadata: [
            "max_concurrent_generations": "\(limits.maxConcurrentGenerations)",
            "max_queued_generations": "\(limits.maxQueuedGenerations)",
            "memory_budget_mb": "\(MemoryBudget.mebibytes(limits.memoryBudgetBytes))",
        ])
        logger.notice("configuration reloaded and plugins rescanned",
                      metadata: ["plugins": "\(report.plugins.count)", "refused": "\(report.errors.count)"])
        for error in report.errors {
            logger.warning("plugin refused", metadata: ["path": "\(error.path)", "reason": "\(error.message)"])
        }
        return report
    }

    public var currentConfiguration: SealdConfiguration { configuration.value }

    package func status() async -> StatusResponse {
        let (active, queued) = await generation.activeAndQueued
        let jobCounts = await jobs.counts
        return StatusResponse(
            version: SealVersion.current, pid: getpid(), uptimeSeconds: Date().timeIntervalSince(started), model: host.info,
            blas: .init(core: BLAS.coreName, threads: BLAS.threadCount), plugins: plugins.list().plugins.count,
            generations: .init(active: active, queued: queued), jobs: .init(active: jobCounts.running, queued: jobCounts.queued),
            memory: .init(residentBytes: ProcessMemory.residentBytes, peakResidentBytes: ProcessMemory.peakResidentBytes),
            stateDirectory: store.root.path)
    }

    /// Prometheus text for the inference side.
    package func renderMetrics() async -> String {
        let (_, queued) = await generation.activeAndQueued
        let counts = await jobs.counts
        var byState: [String: Int] = [:]
        for job in await store.listJobs() { byState[job.state.rawValue, default: 0] += 1 }
        return metrics.render(queuedGenerations: queued, runningJobs: counts.running, queuedJobs: counts.queued,
                              jobsByState: byState, modelLoaded: host.isLoaded)
    }
}

/// The configuration in force, replaced on reload.
final class ConfigurationBox: Sendable {
    private let storage: Mutex<SealdConfiguration>
    init(_ value: SealdConfiguration) { storage = Mutex(value) }
    var value: SealdConfiguration {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

public enum SealVersion {
    public static let current = "0.1.0"
}

import Synchronization
