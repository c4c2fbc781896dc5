import Foundation
import SealConfig
import SealTensor
import Synchronization

/// The one owner of what generations share: their slots (admission and queue),
/// the memory their KV caches may take, and the process's one thread setting
/// (``BLAS/threadCount``).
///
/// The thread setting is set here once, when the service starts, and never changed
/// per call: toggling a process-wide setting from concurrent sessions raced (two
/// overlapping calls could leave it at 1 for good). Admission and the sessions both
/// size attention scratch from the count read here, so the two always agree.
final class ComputeResources: Sendable {
    let gate: ConcurrencyGate
    let memory: MemoryBudget
    /// Threads one session spreads its attention tiles over.
    let attentionWorkers: Int
    private let limitsBox: Mutex<ServiceLimits>

    init(limits: ServiceLimits, blasThreads: Int) {
        if blasThreads > 0 { BLAS.threadCount = blasThreads }
        attentionWorkers = BLAS.threadCount
        gate = ConcurrencyGate(limit: limits.maxConcurrentGenerations, queueLimit: limits.maxQueuedGenerations)
        memory = MemoryBudget(totalBytes: limits.memoryBudgetBytes)
        limitsBox = Mutex(limits)
    }

    var limits: ServiceLimits { limitsBox.withLock { $0 } }

    /// Applies reloaded limits to the running gate and budget.
    func apply(_ limits: ServiceLimits) {
        limitsBox.withLock { $0 = limits }
        gate.update(limit: limits.maxConcurrentGenerations, queueLimit: limits.maxQueuedGenerations)
        memory.update(totalBytes: limits.memoryBudgetBytes)
    }

    /// Waits for a generation slot (429 when the queue is full; cancelled with the
    /// request), then reserves `bytes` of the memory budget (503 when running
    /// generations hold too much; the slot is handed on).
    func admit(bytes: Int, what: @escaping @autoclosure () -> String) async throws -> AdmissionTicket {
        let queued = Date()
        try await gate.acquire(what: "generations")
        do {
            try memory.reserve(bytes, what: what())
        } catch {
            gate.release()
            throw error
        }
        let gate = self.gate, memory = self.memory
        return AdmissionTicket(queueSeconds: Date().timeIntervalSince(queued)) {
            memory.release(bytes)
            gate.release()
        }
    }
}

/// A generation slot and its memory, held from admission until the run ends.
///
/// Released exactly once: explicitly when the run ends, or when the last
/// reference goes (a streamed response whose body never ran).
package final class AdmissionTicket: Sendable {
    let queueSeconds: Double
    private let releaser: Mutex<(@Sendable () -> Void)?>

    init(queueSeconds: Double, release: @escaping @Sendable () -> Void) {
        self.queueSeconds = queueSeconds
        releaser = Mutex(release)
    }

    func release() {
        let action = releaser.withLock { value -> (@Sendable () -> Void)? in
            defer { value = nil }
            return value
        }
        action?()
    }

    deinit { release() }
}

/// The limits the service enforces, from the configuration (reloadable).
struct ServiceLimits: Sendable {
    var maxConcurrentGenerations = 2
    var maxQueuedGenerations = 16
    var maxConcurrentJobs = 1
    /// Longest prompt in tokens; `nil`: the context window.
    var maxPromptTokens: Int?
    var memoryBudgetBytes = MemoryBudget.defaultAtStart

    init(maxConcurrentGenerations: Int = 2, maxQueuedGenerations: Int = 16, maxConcurrentJobs: Int = 1,
         maxPromptTokens: Int? = nil, memoryBudgetBytes: Int = MemoryBudget.defaultAtStart) {
        self.maxConcurrentGenerations = maxConcurrentGenerations
        self.maxQueuedGenerations = maxQueuedGenerations
        self.maxConcurrentJobs = maxConcurrentJobs
        self.maxPromptTokens = maxPromptTokens
        self.memoryBudgetBytes = memoryBudgetBytes
    }

    init(_ limits: SealdConfiguration.Limits) {
        self.init(maxConcurrentGenerations: limits.maxConcurrentGenerations,
                  maxQueuedGenerations: limits.maxQueuedGenerations, maxConcurrentJobs: limits.maxConcurrentJobs,
                  maxPromptTokens: limits.maxPromptTokens,
                  memoryBudgetBytes: limits.memoryBudgetMB.map { $0 << 20 } ?? MemoryBudget.defaultAtStart)
    }
}
