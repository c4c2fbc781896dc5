import Foundation
import Synchronization

/// Bytes that running generations may hold for KV caches and scratch, shared
/// between them: each reserves what its window can grow to before it starts and
/// returns it when it ends, so the daemon refuses work instead of being killed
/// by the kernel's OOM killer.
final class MemoryBudget: Sendable {
    private struct State {
        var total: Int
        var reserved = 0
    }

    private let state: Mutex<State>

    init(totalBytes: Int) {
        state = Mutex(State(total: max(0, totalBytes)))
    }

    var totalBytes: Int { state.withLock { $0.total } }
    var reservedBytes: Int { state.withLock { $0.reserved } }

    /// Applies a new total (reload); reservations already held stay valid.
    func update(totalBytes: Int) { state.withLock { $0.total = max(0, totalBytes) } }

    /// Reserves `bytes`: 422 when they exceed the whole budget (the request can
    /// never run), 503 when other generations hold too much right now.
    func reserve(_ bytes: Int, what: @autoclosure () -> String) throws(ServiceError) {
        try state.withLock { s throws(ServiceError) in
            guard bytes <= s.total else {
                throw ServiceError.unprocessable(
                    "\(what()) needs up to \(Self.mebibytes(bytes)) MiB of KV cache but the memory budget (limits.memory_budget_mb) is \(Self.mebibytes(s.total)) MiB; lower max_tokens or context_length",
                    code: "memory_budget_exceeded")
            }
            guard bytes <= s.total - s.reserved else {
                throw ServiceError.unavailable(
                    "\(what()) needs \(Self.mebibytes(bytes)) MiB of KV cache; running generations hold \(Self.mebibytes(s.reserved)) of \(Self.mebibytes(s.total)) MiB (limits.memory_budget_mb); retry later",
                    code: "memory_busy")
            }
            s.reserved += bytes
        }
    }

    func release(_ bytes: Int) {
        state.withLock { $0.reserved = max(0, $0.reserved - bytes) }
    }

    static func mebibytes(_ bytes: Int) -> Int { (bytes + (1 << 20) - 1) >> 20 }

    /// The default budget: half the memory this process may still take when it
    /// starts — `MemAvailable` from /proc/meminfo, lowered to the cgroup v2 limit
    /// minus its usage when seald runs in a memory-limited unit. 1 GiB when
    /// neither can be read.
    static let defaultAtStart = defaultTotalBytes()

    static func defaultTotalBytes() -> Int {
        var available = meminfoAvailable() ?? (2 << 30)
        if let limit = cgroupRoom() { available = min(available, limit) }
        return max(64 << 20, available / 2)
    }

    private static func meminfoAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kib = Int(fields[1]), kib >= 0, kib < Int.max >> 10 else { return nil }
            return kib << 10
        }
        return nil
    }

    /// `memory.max - memory.current` of this process's cgroup (v2), if limited.
    private static func cgroupRoom() -> Int? {
        guard let line = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)
            .split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let path = "/sys/fs/cgroup" + line.dropFirst(3)
        func read(_ name: String) -> Int? {
            (try? String(contentsOfFile: path + "/" + name, encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        guard let max = read("memory.max") else { return nil }  // "max" (unlimited) does not parse
        return Swift.max(0, max - (read("memory.current") ?? 0))
    }
}
