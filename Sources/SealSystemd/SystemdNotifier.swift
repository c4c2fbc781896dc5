import CSystemd
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells the service manager how the daemon is doing (`sd_notify(3)`), for units
/// with `Type=notify` or `Type=notify-reload`.
///
/// Without `NOTIFY_SOCKET` in the environment (started by hand, in tests) every
/// call is a cheap no-op, so the daemon calls these unconditionally. Failures to
/// notify are never fatal: the methods report whether the message was sent.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens (`NOTIFY_SOCKET` is set).
    public var isSupervised: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Start-up finished: systemd considers the unit active and starts what waits on it.
    /// Also sent after a reload finished.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        notify(["READY=1"] + statusLine(status))
    }

    /// A one-line status shown by `systemctl status` (e.g. "serving smollm2, 1 generation running").
    @discardableResult
    public func status(_ text: String) -> Bool {
        notify(statusLine(text))
    }

    /// Shutdown began; systemd waits `TimeoutStopSec=` for the process to exit.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        notify(["STOPPING=1"] + statusLine(status))
    }

    /// A reload began (on SIGHUP). `MONOTONIC_USEC` is required by `Type=notify-reload`
    /// (systemd 253+) to match the reload with its request, and ignored by older systemd.
    /// Send ``ready(status:)`` when the reload is done.
    @discardableResult
    public func reloading(status: String? = nil) -> Bool {
        notify(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"] + statusLine(status))
    }

    /// Asks systemd to wait longer for start-up or shutdown to finish (a large model
    /// takes a while to map), counted from now.
    @discardableResult
    public func extendTimeout(by duration: Duration) -> Bool {
        notify(["EXTEND_TIMEOUT_USEC=\(Self.microseconds(duration))"])
    }

    /// The watchdog interval (`WatchdogSec=`), or `nil` when the watchdog is off.
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// Pets the watchdog once.
    @discardableResult
    public func watchdog() -> Bool {
        notify(["WATCHDOG=1"])
    }

    /// Pets the watchdog at half its interval until the calling task is cancelled;
    /// returns at once when the watchdog is off. Run it in a child task of the
    /// daemon's main task so a hung event loop stops the pings and systemd restarts us.
    public func runWatchdog() async {
        guard let interval = watchdogInterval else { return }
        let period = interval / 2
        while !Task.isCancelled {
            watchdog()
            do {
                try await Task.sleep(for: period)
            } catch {
                return
            }
        }
    }

    /// Sends raw `KEY=VALUE` assignments. Returns `true` when a service manager received them.
    @discardableResult
    public func notify(_ assignments: [String]) -> Bool {
        guard !assignments.isEmpty else { return false }
        return sd_notify(0, assignments.joined(separator: "\n")) > 0
    }

    private func statusLine(_ text: String?) -> [String] {
        guard let text else { return [] }
        // One assignment per line: a newline in the text would start a new (bogus) assignment.
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return ["STATUS=\(flat)"]
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }
}
