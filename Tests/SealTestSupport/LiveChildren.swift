import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every child a test started and has not yet reaped, ended when the test process exits.
///
/// A daemon kept for a whole suite (a `static let`) is never deinitialised, and a
/// failing test may leave its child running; before this registry, a passing CI run
/// left a debug `seald` orphaned. Each ``Subprocess`` registers itself at launch and
/// leaves at reaping; an `atexit` handler (installed with the first launch) sends
/// SIGTERM to whatever is left, waits briefly for a graceful stop, then SIGKILLs and
/// reaps. `atexit` runs whether the tests passed or failed; a test process killed by
/// a signal cannot run it, and then the children's own idle timeouts are the backstop.
public enum LiveChildren {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pids: Set<pid_t> = []
    nonisolated(unsafe) private static var installed = false

    static func add(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        pids.insert(pid)
        if !installed {
            installed = true
            atexit { LiveChildren.endAll(grace: 5) }
        }
    }

    static func remove(_ pid: pid_t) {
        lock.lock()
        pids.remove(pid)
        lock.unlock()
    }

    /// The children not yet reaped, for tests of this registry.
    public static var running: Set<pid_t> {
        lock.lock()
        defer { lock.unlock() }
        return pids
    }

    /// SIGTERM to every child still running, up to `grace` seconds for them to exit,
    /// then SIGKILL; every one is reaped.
    static func endAll(grace: TimeInterval) {
        end(nil, grace: grace)
    }

    /// Ends the registered children among `selected` (all of them when `nil`) as
    /// ``endAll(grace:)`` does.
    public static func end(_ selected: Set<pid_t>?, grace: TimeInterval) {
        lock.lock()
        let remaining = selected.map { pids.intersection($0) } ?? pids
        pids.subtract(remaining)
        lock.unlock()
        guard !remaining.isEmpty else { return }
        for pid in remaining { Glibc.kill(pid, SIGTERM) }
        var alive = remaining
        let deadline = Date().addingTimeInterval(grace)
        while !alive.isEmpty && Date() < deadline {
            alive = alive.filter { waitpid($0, nil, WNOHANG) == 0 }
            if !alive.isEmpty { usleep(20_000) }
        }
        for pid in alive {
            Glibc.kill(pid, SIGKILL)
            _ = waitpid(pid, nil, 0)
        }
    }
}
