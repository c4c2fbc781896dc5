import Foundation
import Logging
import SealAPI
import SealConfig
import SealServer
import SealRoutes
import SealService
import SealSystemd
import SealTensor

/// The running daemon: wires configuration, systemd, the HTTP server and the
/// service together, and handles signals.
struct Daemon: Sendable {
    let configuration: SealdConfiguration
    let configPath: String?
    let logger: Logger

    func run() async throws {
        let notifier = SystemdNotifier()
        _ = notifier.status("starting")

        // The service owns OpenBLAS's thread count (model.threads), set once here.
        let service: SealService
        do { service = try SealService(configuration: configuration, logger: logger) } catch {
            throw DaemonError.cannotServe("\(error)")
        }
        logCPU()
        FileDescriptorLimit.ensureRoom(forConnections: configuration.server.maxConnections, logger: logger)
        let activated: [Int32]
        do { activated = try SocketActivation.listenFileDescriptors() } catch {
            throw DaemonError.cannotServe("socket activation: \(error)")
        }
        let listener: HTTPServerConfiguration.Listener
        if let fd = activated.first {
            listener = .inheritedSocket(fileDescriptor: fd)
            logger.info("using the socket passed by systemd", metadata: ["fd": "\(fd)"])
        } else {
            listener = .unixSocket(path: configuration.socket.path, mode: mode_t(configuration.socket.mode.rawValue),
                                   group: configuration.socket.group)
        }
        let policy: AccessPolicy
        do {
            policy = AccessPolicy(adminGroup: try configuration.access.adminGroup.map(AccessPolicy.Group.named),
                                  readGroup: try configuration.access.readGroup.map(AccessPolicy.Group.named))
        } catch {
            throw DaemonError.cannotServe("access: \(error)")
        }
        let metrics = MetricsRegistry()
        let serverBox = ServerBox()
        let reloader = Reloader(service: service, configPath: configPath, logger: logger, notifier: notifier,
                                applyAccess: { serverBox.server?.updateAccessPolicy($0) },
                                applyLimits: { serverBox.server?.updateLimits($0) })
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                listener: listener, limits: HTTPServerLimits(configuration), accessPolicy: policy),
            router: service.makeRouter(requestMetrics: { metrics.renderPrometheus() },
                                       reloadConfiguration: { try await reloader.reload() }),
            logger: logger, metrics: metrics)
        serverBox.server = server

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask {
                for await signal in Signals.stream([SIGTERM, SIGINT, SIGHUP]) {
                    if signal == SIGHUP {
                        _ = try? await reloader.reload()
                        continue
                    }
                    logger.notice("stopping", metadata: ["signal": "\(signal == SIGTERM ? "SIGTERM" : "SIGINT")"])
                    _ = notifier.stopping(status: "stopping: finishing requests in progress")
                    // Jobs are not waited for: they resume from their checkpoints at the next start.
                    await service.stop()
                    await server.shutdown(gracefully: true)
                    return
                }
            }
            await waitForListener(listener)
            _ = notifier.status("loading model")
            await service.reportJobStatus { _ = notifier.status($0) }
            await service.start()
            let model = service.host.info.map { "model \($0.name)" } ?? "no model loaded"
            _ = notifier.ready(status: "ready: \(model)")
            logger.notice("ready", metadata: ["socket": "\(configuration.socket.path)", "model": "\(model)"])
            try await group.next()
            group.cancelAll()
        }
        logger.notice("stopped")
    }

    /// Waits until the server's socket accepts connections (an inherited one already does).
    private func waitForListener(_ listener: HTTPServerConfiguration.Listener) async {
        guard case .unixSocket(let path, _, _) = listener else { return }
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: path) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func logCPU() {
        let core = BLAS.coreName
        logger.info("OpenBLAS", metadata: ["core": "\(core)", "threads": "\(BLAS.threadCount)",
                                           "OPENBLAS_CORETYPE": "\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)")"])
        if core.lowercased() == "prescott" {
            logger.warning("OpenBLAS chose its generic Prescott kernels, often 3-5x slower on current x86 CPUs; set OPENBLAS_CORETYPE=Haswell (or SkylakeX) in the service environment")
        }
    }
}

/// Re-reads the configuration and rescans plugins (SIGHUP, POST /api/reload).
struct Reloader: Sendable {
    let service: SealService
    let configPath: String?
    let logger: Logger
    let notifier: SystemdNotifier
    /// Applies a changed access section to the running server.
    let applyAccess: @Sendable (AccessPolicy) -> Void
    /// Applies changed size, time and connection limits to the running server.
    let applyLimits: @Sendable (HTTPServerLimits) -> Void

    func reload() async throws -> PluginListResponse {
        _ = notifier.reloading(status: "reloading configuration")
        defer { _ = notifier.ready(status: "ready") }
        var configuration = service.currentConfiguration
        var restartRequired: [String] = []
        var policy: AccessPolicy?
        if let path = configPath ?? (FileManager.default.fileExists(atPath: Seald.defaultConfigPath) ? Seald.defaultConfigPath : nil) {
            do {
                var fresh = try SealdConfiguration.load(from: URL(fileURLWithPath: path))
                // Keys a running daemon cannot change (the socket, the state directory, ...)
                // are set back to their running values; everything else is taken as read.
                restartRequired = RestartOnlyKey.holdBack(&fresh, running: configuration)
                policy = AccessPolicy(adminGroup: try fresh.access.adminGroup.map(AccessPolicy.Group.named),
                                      readGroup: try fresh.access.readGroup.map(AccessPolicy.Group.named))
                configuration = fresh
            } catch {
                logger.error("reload refused: the configuration has errors; keeping the current one",
                             metadata: ["error": "\(error)"])
                throw ServiceError.unprocessable("configuration not reloaded: \(error)", code: "invalid_configuration")
            }
        }
        // The service may still refuse the configuration (a default context extension the
        // rescanned plugins reject): only once it has accepted it do the server's access
        // policy and limits change, so a refused reload leaves all of them as they were.
        var report = try service.reload(configuration)
        if let policy { applyAccess(policy) }
        applyLimits(HTTPServerLimits(configuration))
        // A raised server.max_connections needs the descriptors for it, as at start.
        FileDescriptorLimit.ensureRoom(forConnections: configuration.server.maxConnections, logger: logger)
        if !restartRequired.isEmpty {
            logger.warning("reload kept the running values of keys that need a restart of seald",
                           metadata: ["keys": "\(restartRequired.joined(separator: ", "))"])
        }
        report.restartRequired = restartRequired
        return report
    }
}

/// POSIX signals as an async stream (handlers installed with Dispatch, default actions disabled).
enum Signals {
    static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = signals.map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let holder = SignalSources(sources)
            continuation.onTermination = { _ in holder.cancel() }
        }
    }
}

/// The server, once made, for the reloader (created before it).
final class ServerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: HTTPServer?
    var server: HTTPServer? {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

/// Keeps the signal sources alive for the stream's lifetime.
final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}

enum DaemonError: Error, CustomStringConvertible {
    case cannotServe(String)
    var description: String {
        switch self {
        case .cannotServe(let message): "cannot serve: \(message)"
        }
    }
}
