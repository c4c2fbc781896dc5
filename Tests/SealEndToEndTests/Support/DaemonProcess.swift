import Foundation

/// The real seald binary, started on a temporary socket with a temporary
/// state directory and the default model, for end-to-end tests.
final class DaemonProcess: @unchecked Sendable {
    let directory: URL
    let socketPath: String
    let stateDirectory: URL
    let configURL: URL
    private(set) var process: Process?
    private let logPipe = Pipe()
    private let log = LockedData()

    /// - Parameter extraConfig: YAML appended to the generated configuration.
    init(model: URL? = BuildProducts.defaultModel, extraConfig: String = "", pluginDirectories: [String]? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("seald-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("seald.sock").path
        stateDirectory = directory.appendingPathComponent("state")
        configURL = directory.appendingPathComponent("seald.yaml")
        let plugins = pluginDirectories ?? [BuildProducts.directory.path]
        var yaml = """
        socket:
          path: \(socketPath)
          mode: "0600"
        state_directory: \(stateDirectory.path)
        plugins:
          directories: [\(plugins.map { "\"\($0)\"" }.joined(separator: ", "))]
        log:
          level: debug

        """
        if let model { yaml += "model:\n  path: \(model.path)\n" }
        yaml += extraConfig
        try yaml.write(to: configURL, atomically: true, encoding: .utf8)
    }

    /// Starts seald and waits until its socket answers (or the process dies).
    func start(arguments: [String] = [], timeout: TimeInterval = 60) throws {
        let process = Process()
        process.executableURL = BuildProducts.binary("seald")
        process.arguments = ["--config", configURL.path] + arguments
        process.standardOutput = logPipe
        process.standardError = logPipe
        process.standardInput = FileHandle.nullDevice
        let log = self.log
        logPipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { log.set(log.get() + chunk) }
        }
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { throw DaemonError.exited(process.terminationStatus, output) }
            if (try? runCommand("/usr/bin/curl", ["-s", "--unix-socket", socketPath, "http://localhost/api/health"], timeout: 5))?
                .stdout.contains("ok") == true { return }
            usleep(100_000)
        }
        throw DaemonError.notReady(output)
    }

    var output: String { String(decoding: log.get(), as: UTF8.self) }
    var pid: Int32 { process?.processIdentifier ?? 0 }

    func signal(_ signal: Int32) { if let pid = process?.processIdentifier { kill(pid, signal) } }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop(timeout: TimeInterval = 30) -> Int32 {
        guard let process, process.isRunning else { return process?.terminationStatus ?? 0 }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill9() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// curl against the daemon's socket: returns (HTTP status, body).
    func curl(_ method: String, _ path: String, body: String? = nil, extra: [String] = []) throws -> (status: Int, body: String) {
        var arguments = ["-s", "-S", "--unix-socket", socketPath, "-X", method, "-w", "\n%{http_code}", "http://localhost\(path)"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try runCommand("/usr/bin/curl", arguments + extra)
        guard let newline = result.stdout.lastIndex(of: "\n"), let status = Int(result.stdout[result.stdout.index(after: newline)...]) else {
            return (0, result.stdout + result.stderr)
        }
        return (status, String(result.stdout[..<newline]))
    }

    deinit {
        stop()
        logPipe.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(at: directory)
    }
}

enum DaemonError: Error, CustomStringConvertible {
    case exited(Int32, String)
    case notReady(String)

    var description: String {
        switch self {
        case .exited(let status, let output): "seald exited with status \(status):\n\(output)"
        case .notReady(let output): "seald did not answer in time:\n\(output)"
        }
    }
}
