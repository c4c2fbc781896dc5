import Foundation
import SealTestSupport

/// Where the built binaries, plugins and models are, found without assumptions
/// about the build folder: next to the running test bundle first, then the
/// package's default `.build/debug`.
enum BuildProducts {
    static let packageRoot = PackagePaths.root

    static let directory: URL = {
        if let explicit = ProcessInfo.processInfo.environment["SEAL_BUILD_DIR"] { return URL(fileURLWithPath: explicit) }
        var candidate = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("seald").path) { return candidate }
            candidate.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    static func binary(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static var defaultModel: URL? {
        let url = packageRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}

/// Runs a command and captures its output (for curl, cc, setpriv, systemd tools).
struct CommandResult {
    var status: Int32
    /// stdout and stderr together.
    var stdout: String
}

/// Uses posix_spawn (SealTestSupport.Subprocess): Foundation's Process can hang
/// when parallel tests launch processes, and pipes leak into unrelated children.
@discardableResult
func runCommand(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                timeout: TimeInterval = 120) throws -> CommandResult {
    let child = try Subprocess(executable, arguments, environment: environment)
    let output = LockedData()
    let reader = Thread { child.forEachOutputChunk { output.append($0) } }
    reader.start()
    let deadline = Date().addingTimeInterval(timeout)
    while !child.poll() {
        if Date() > deadline { child.kill() }
        usleep(5_000)
    }
    // The pipe closes when the child (and anything it spawned) exits.
    let drained = Date().addingTimeInterval(5)
    while !reader.isFinished && Date() < drained { usleep(2_000) }
    return CommandResult(status: child.exitStatus ?? -1, stdout: String(decoding: output.get(), as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func append(_ value: Data) { lock.lock(); data.append(value); lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
