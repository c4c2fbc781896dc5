import Foundation
import SealAPI

/// Shows a job's progress: on a terminal a bar redrawn in place,
/// `[#########-----------] 45% 9/20  ETA 1m12s  message`; in a pipe or a log, a plain line
/// whenever progress changes (at most every few seconds) so logs stay readable.
struct ProgressView {
    private let terminal: Terminal
    private let isTTY: Bool
    private let barWidth = 20
    private let firstSeen = Date()
    private var lastLine: (time: Date, completed: Int, message: String)?
    private var drawn = false

    init(terminal: Terminal = .standardOutput) {
        self.terminal = terminal
        isTTY = terminal.isTTY
    }

    mutating func update(_ job: Job, now: Date = Date()) {
        if isTTY {
            let line = Self.bar(job, width: barWidth, eta: eta(job, now: now))
            terminal.write("\r\u{1B}[K" + Format.truncated(line, to: max(20, terminal.width - 1)))
            drawn = true
            return
        }
        let progress = job.progress
        if let last = lastLine {
            let changed = last.completed != progress.completed || last.message != progress.message
            let elapsed = now.timeIntervalSince(last.time)
            guard (changed && elapsed >= 2) || elapsed >= 30 else { return }
        }
        lastLine = (now, progress.completed, progress.message)
        terminal.line(Self.plain(job, eta: eta(job, now: now)))
    }

    /// Ends the bar's line so the next output starts on a fresh one.
    mutating func finish() {
        if drawn { terminal.write("\n") }
        drawn = false
    }

    /// Seconds left, from the rate since the job started; nil until there is a rate.
    func eta(_ job: Job, now: Date) -> Double? {
        let progress = job.progress
        if progress.total > 0, progress.completed >= progress.total { return 0 }
        // The job's own estimate (tuning: from its step rate since it last started) wins.
        if let estimate = progress.etaSeconds, estimate.isFinite, estimate >= 0 { return estimate }
        guard progress.completed > 0 else { return nil }
        let start = job.startedAt ?? firstSeen
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 0 else { return nil }
        return elapsed / Double(progress.completed) * Double(progress.total - progress.completed)
    }

    static func bar(_ job: Job, width: Int, eta: Double?) -> String {
        let progress = job.progress
        let fraction = progress.total > 0 ? min(1, Double(progress.completed) / Double(progress.total)) : 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        // A job that has not counted its work yet (total 0) shows no counts rather than "0/0 (0%)".
        if progress.total > 0 {
            line += String(format: " %3d%% %d/%d", Int(fraction * 100), progress.completed, progress.total)
        }
        line += "  ETA " + (eta.map(Format.duration) ?? "--")
        if !progress.message.isEmpty { line += "  " + progress.message }
        return line
    }

    static func plain(_ job: Job, eta: Double?) -> String {
        let progress = job.progress
        var line = "\(job.id) \(job.state.rawValue)"
        if progress.total > 0 {
            let percent = Int(Double(progress.completed) / Double(progress.total) * 100)
            line += " \(progress.completed)/\(progress.total) (\(percent)%)"
        }
        if let eta { line += " ETA \(Format.duration(eta))" }
        if !progress.message.isEmpty { line += " \(progress.message)" }
        return line
    }
}
