import Synchronization

/// Admits at most `limit` holders at a time and queues at most `queueLimit`
/// more; beyond that requests are refused at once (HTTP 429) rather than
/// piling up without bound.
///
/// A wait is cancellable: when the waiting task is cancelled (its client went
/// away, or the request timed out) it leaves the queue at once and throws
/// `CancellationError`, so a gone client never keeps a place. Limits can change
/// while it runs (configuration reload).
final class ConcurrencyGate: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var limit: Int
        var queueLimit: Int
        var active = 0
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>

    init(limit: Int, queueLimit: Int) {
        state = Mutex(State(limit: max(1, limit), queueLimit: max(0, queueLimit)))
    }

    var active: Int { state.withLock { $0.active } }
    var queued: Int { state.withLock { $0.waiters.count } }
    var limits: (limit: Int, queueLimit: Int) { state.withLock { ($0.limit, $0.queueLimit) } }

    /// Waits for a slot; throws 429 when the queue is full and `CancellationError`
    /// when the task is cancelled while waiting (its place is freed). Pair every
    /// successful call with one ``release()``.
    func acquire(what: String) async throws {
        let id = try state.withLock { s throws(ServiceError) -> UInt64? in
            if s.active < s.limit && s.waiters.isEmpty {
                s.active += 1
                return nil
            }
            guard s.waiters.count < s.queueLimit else {
                throw ServiceError.tooManyRequests(
                    "\(s.active) \(what) running and \(s.waiters.count) queued (limits.max_queued_generations); retry later")
            }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Checked under the lock: a cancellation either happened already (seen
                // here) or runs its handler after the waiter is queued (and removes it).
                let cancelled = state.withLock { s -> Bool in
                    if Task.isCancelled { return true }
                    s.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let removed = state.withLock { s -> Waiter? in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index)
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands the slot to the next waiter, or frees it.
    func release() {
        let next = state.withLock { s -> Waiter? in
            if !s.waiters.isEmpty && s.active <= s.limit { return s.waiters.removeFirst() }
            s.active = max(0, s.active - 1)
            return nil
        }
        next?.continuation.resume()
    }

    /// Applies new limits (reload). A higher limit admits waiters at once; a lower
    /// one takes effect as running holders finish. Waiters already queued keep
    /// their places even if the queue limit drops below their number.
    func update(limit: Int, queueLimit: Int) {
        let admitted = state.withLock { s -> [Waiter] in
            s.limit = max(1, limit)
            s.queueLimit = max(0, queueLimit)
            var admitted: [Waiter] = []
            while s.active < s.limit && !s.waiters.isEmpty {
                s.active += 1
                admitted.append(s.waiters.removeFirst())
            }
            return admitted
        }
        admitted.forEach { $0.continuation.resume() }
    }
}
