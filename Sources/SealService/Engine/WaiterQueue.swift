/// Tasks parked until their owner lets them go, each leaving at once when it is cancelled
/// (its client went away or its request timed out), so a gone client never keeps a place.
///
/// It lives inside the owner's `Mutex`-protected state, so deciding to wait and joining the
/// queue are one atomic step; ``park(_:leave:)`` does the suspending outside the lock.
struct WaiterQueue {
    typealias Continuation = CheckedContinuation<Void, any Error>

    /// What the owner decided, under its lock, for a task about to park.
    enum Decision {
        /// The task joined the queue and waits to be resumed.
        case queued
        /// No need to wait (the reason went away meanwhile).
        case proceed
        /// The task was cancelled before it could join.
        case cancelled
    }

    private var nextID: UInt64 = 0
    private var entries: [(id: UInt64, continuation: Continuation)] = []

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// A ticket for ``join(_:_:)`` and ``remove(_:)``; taken before suspending so that a
    /// cancellation can find the entry.
    mutating func ticket() -> UInt64 {
        nextID += 1
        return nextID
    }

    /// Queues a task unless it is already cancelled; call it under the owner's lock, so that a
    /// cancellation either is seen here or runs its `leave` after the entry is queued.
    mutating func join(_ ticket: UInt64, _ continuation: Continuation) -> Decision {
        if Task.isCancelled { return .cancelled }
        entries.append((ticket, continuation))
        return .queued
    }

    /// The entry of a cancelled task, if it is still queued.
    mutating func remove(_ ticket: UInt64) -> Continuation? {
        guard let index = entries.firstIndex(where: { $0.id == ticket }) else { return nil }
        return entries.remove(at: index).continuation
    }

    mutating func removeFirst() -> Continuation { entries.removeFirst().continuation }

    mutating func removeAll() -> [Continuation] {
        defer { entries = [] }
        return entries.map(\.continuation)
    }

    /// Suspends the current task until its owner resumes it. `join` runs under the owner's
    /// lock with the continuation and answers with ``join(_:_:)``, or ``Decision/proceed`` when
    /// there is no need to wait. `leave` runs, under the same lock, when the task is cancelled and returns the
    /// entry if it was still queued. Throws `CancellationError` when cancelled before or while
    /// waiting.
    static func park(_ join: (Continuation) -> Decision,
                     leave: @Sendable () -> Continuation?) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Continuation) in
                switch join(continuation) {
                case .queued: break
                case .proceed: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            leave()?.resume(throwing: CancellationError())
        }
    }
}
