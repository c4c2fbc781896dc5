/// Admits at most `limit` holders at a time and queues at most `queueLimit`
/// more; beyond that requests are refused at once (HTTP 429) rather than
/// piling up without bound.
actor ConcurrencyGate {
    let limit: Int
    let queueLimit: Int
    private(set) var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int, queueLimit: Int) {
        self.limit = max(1, limit)
        self.queueLimit = max(0, queueLimit)
    }

    var queued: Int { waiters.count }

    /// Waits for a slot; throws 429 when the queue is full.
    func acquire(what: String) async throws(ServiceError) {
        if active < limit {
            active += 1
            return
        }
        guard waiters.count < queueLimit else {
            throw ServiceError.tooManyRequests("\(active) \(what) running and \(waiters.count) queued (limits.max_queued_generations); retry later")
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the slot to the next waiter, or frees it.
    func release() {
        if waiters.isEmpty {
            active = max(0, active - 1)
        } else {
            waiters.removeFirst().resume()
        }
    }
}
