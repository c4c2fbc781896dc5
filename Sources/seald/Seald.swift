import ArgumentParser
import Foundation
import Logging
import SealConfig
import SealService
import SealSystemd
import SealTensor

/// seald: the seal daemon. Hosts the inference and tuning core behind an
/// HTTP/JSON API on a Unix socket, as a systemd `Type=notify` service with
/// socket activation, or standalone.
@main
struct Seald: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seald",
        abstract: "The seal daemon: serves a local language model over a Unix socket.",
        discussion: """
        Configuration: \(defaultConfigPath) (see etc/seald.yaml for every key).
        Signals: SIGTERM/SIGINT stop gracefully (requests finish, jobs resume on next start);
        SIGHUP re-reads the configuration and rescans plugin directories.
        Exit codes: 0 stopped cleanly, 78 configuration error, 69 cannot serve (socket or state directory).
        """)

    static let defaultConfigPath = "/etc/seal/seald.yaml"

    @Option(name: .long, help: "Configuration file.")
    var config: String?

    @Flag(name: .customLong("check-config"), help: "Validate the configuration and exit.")
    var checkConfig = false

    @Option(name: .long, help: "Override socket.path from the configuration.")
    var socket: String?

    func run() async throws {
        let configuration: SealdConfiguration
        do {
            configuration = try loadConfiguration()
        } catch {
            FileHandle.standardError.write(Data("seald: \(error)\n".utf8))
            throw ExitCode(78)
        }
        if checkConfig {
            print("seald: configuration OK (\(config ?? Self.defaultConfigPath))")
            return
        }
        SystemdLogHandler.bootstrap(level: configuration.log.level.swiftLogLevel)
        let logger = Logger(label: "seald")
        let daemon = Daemon(configuration: configuration, configPath: config, logger: logger)
        do {
            try await daemon.run()
        } catch let error as DaemonError {
            logger.critical("\(error.description)")
            throw ExitCode(69)
        }
        // Stopped: exit without exit-time destructors. OpenBLAS's joins its worker threads and
        // was seen to hang there for good (pthread_join on an idle worker that never woke) after
        // SIGTERM interrupted a job; the test process met the same hang in OpenBLAS's fork handler
        // (blas_thread_shutdown_, see Tests/CSealTestSpawn/spawn.c). Nothing needs them (the socket file is removed, state files
        // are written atomically, log lines are written as they come).
        fflush(nil)
        _exit(0)
    }

    func loadConfiguration() throws -> SealdConfiguration {
        var configuration: SealdConfiguration
        if let config {
            configuration = try SealdConfiguration.load(from: URL(fileURLWithPath: config))
        } else if FileManager.default.fileExists(atPath: Self.defaultConfigPath) {
            configuration = try SealdConfiguration.load(from: URL(fileURLWithPath: Self.defaultConfigPath))
        } else {
            configuration = SealdConfiguration()
        }
        if let socket { configuration.socket.path = socket }
        return configuration
    }
}

extension LogLevel {
    var swiftLogLevel: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
