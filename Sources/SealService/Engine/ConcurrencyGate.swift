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
    private struct State {
        var limit: Int
        var queueLimit: Int
        var active = 0
        var waiters = WaiterQueue()
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
        let ticket = try state.withLock { s throws(ServiceError) -> UInt64? in
            if s.active < s.limit && s.waiters.isEmpty {
                s.active += 1
                return nil
            }
            guard s.waiters.count < s.queueLimit else {
                throw ServiceError.tooManyRequests(
                    "\(s.active) \(what) running and \(s.waiters.count) queued (limits.max_queued_generations); retry later")
            }
            return s.waiters.ticket()
        }
        guard let ticket else { return }
        // A slot may have been freed between the check above and parking: take it then,
        // instead of queueing behind nobody.
        try await WaiterQueue.park({ continuation in
            state.withLock { s in
                if s.active < s.limit && s.waiters.isEmpty {
                    s.active += 1
                    return .proceed
                }
                return s.waiters.join(ticket, continuation)
            }
        }, leave: { state.withLock { $0.waiters.remove(ticket) } })
    }

    /// Hands the slot to the next waiter, or frees it.
    func release() {
        let next = state.withLock { s -> WaiterQueue.Continuation? in
            if !s.waiters.isEmpty && s.active <= s.limit { return s.waiters.removeFirst() }
            s.active = max(0, s.active - 1)
            return nil
        }
        next?.resume()
    }

    /// Applies new limits (reload). A higher limit admits waiters at once; a lower
    /// one takes effect as running holders finish. Waiters already queued keep
    /// their places even if the queue limit drops below their number.
    func update(limit: Int, queueLimit: Int) {
        let admitted = state.withLock { s -> [WaiterQueue.Continuation] in
            s.limit = max(1, limit)
            s.queueLimit = max(0, queueLimit)
            var admitted: [WaiterQueue.Continuation] = []
            while s.active < s.limit && !s.waiters.isEmpty {
                s.active += 1
                admitted.append(s.waiters.removeFirst())
            }
            return admitted
        }
        admitted.forEach { $0.resume() }
    }
}
