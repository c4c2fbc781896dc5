import Foundation
import SealTestSupport

/// The real seald binary, started on a temporary socket with a temporary
/// state directory and the default model, for end-to-end tests.
final class DaemonProcess: @unchecked Sendable {
    let directory: URL
    let socketPath: String
    let stateDirectory: URL
    let configURL: URL
    private(set) var child: Subprocess?
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

    /// Starts seald (directly, or under `launcher`, e.g. systemd-socket-activate) and
    /// waits until it answers with its model loaded (or the process dies).
    func start(launcher: [String] = [], environment: [String: String]? = nil, timeout: TimeInterval = 90) throws {
        let command = launcher + [BuildProducts.binary("seald").path, "--config", configURL.path]
        let child = try Subprocess(command[0], Array(command.dropFirst()), environment: environment)
        self.child = child
        let log = self.log
        Thread { child.forEachOutputChunk { log.append($0) } }.start()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if child.poll() { throw DaemonError.exited(child.exitStatus ?? -1, output) }
            if let status = try? curl("GET", "/api/status"), status.status == 200,
               status.body.contains("\"model\":{") || !expectsModel {
                return
            }
            usleep(100_000)
        }
        throw DaemonError.notReady(output)
    }

    /// Whether the configuration names a model (then start waits for it to load).
    private var expectsModel: Bool {
        (try? String(contentsOf: configURL, encoding: .utf8))?.contains("\nmodel:") ?? false
    }

    var output: String { String(decoding: log.get(), as: UTF8.self) }
    var pid: Int32 { child?.pid ?? 0 }

    func signal(_ signal: Int32) { child?.kill(signal) }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop(timeout: TimeInterval = 30) -> Int32 {
        guard let child else { return 0 }
        if !child.poll() {
            child.kill(SIGTERM)
            let deadline = Date().addingTimeInterval(timeout)
            while !child.poll() && Date() < deadline { usleep(20_000) }
            if !child.poll() { child.kill(SIGKILL) }
        }
        return child.wait()
    }

    func kill9() {
        guard let child, !child.poll() else { return }
        child.kill(SIGKILL)
        _ = child.wait()
    }

    /// curl against the daemon's socket: returns (HTTP status, body).
    func curl(_ method: String, _ path: String, body: String? = nil, extra: [String] = []) throws -> (status: Int, body: String) {
        var arguments = ["-s", "-S", "--unix-socket", socketPath, "-X", method, "-w", "\n%{http_code}", "http://localhost\(path)"]
        if let body {
            if !extra.contains(where: { $0.lowercased().hasPrefix("content-type") }) {
                arguments += ["-H", "Content-Type: application/json"]
            }
            arguments += ["--data-binary", body]
        }
        let result = try runCommand("/usr/bin/curl", arguments + extra)
        guard let newline = result.stdout.lastIndex(of: "\n"), let status = Int(result.stdout[result.stdout.index(after: newline)...]) else {
            return (0, result.stdout)
        }
        return (status, String(result.stdout[..<newline]))
    }

    deinit {
        stop()
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
