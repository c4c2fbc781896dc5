import NIOCore
import Synchronization

/// Tracks whether a connection is still open and tells interested parties, once,
/// when it closes: the streaming writer (to fail fast), the request (to cancel its
/// handler) and handlers that registered ``Context/onClientDisconnect(_:)``.
///
/// One `closeFuture` callback per connection, whatever the number of requests on
/// it, so a long keep-alive connection does not accumulate callbacks.
final class ConnectionLifetime: Sendable {
    private struct State {
        var closed = false
        var nextID = 0
        var callbacks: [Int: @Sendable () -> Void] = [:]
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelledWaiters: Set<Int> = []
    }

    private let state = Mutex(State())

    init(closeFuture: EventLoopFuture<Void>) {
        closeFuture.whenComplete { [self] _ in self.markClosed() }
    }

    var isClosed: Bool {
        state.withLock { $0.closed }
    }

    /// Runs `action` when the connection closes (at once if it already has).
    /// Returns a token for ``removeCallback(_:)``, or `nil` when it already ran.
    func onClose(_ action: @escaping @Sendable () -> Void) -> Int? {
        let id: Int? = state.withLock { state in
            guard !state.closed else { return nil }
            defer { state.nextID += 1 }
            state.callbacks[state.nextID] = action
            return state.nextID
        }
        if id == nil { action() }
        return id
    }

    func removeCallback(_ id: Int) {
        _ = state.withLock { $0.callbacks.removeValue(forKey: id) }
    }

    /// Returns when the connection closes, or as soon as the calling task is cancelled.
    func waitForClose() async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.closed || state.cancelledWaiters.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state in
                guard let continuation = state.waiters.removeValue(forKey: id) else {
                    state.cancelledWaiters.insert(id)
                    return CheckedContinuation<Void, Never>?.none
                }
                return continuation
            }
            continuation?.resume()
        }
    }

    /// Marks the connection closed and tells everyone waiting, once: called when the close
    /// future completes, and by a write that found the client gone, which can come first (the
    /// request would then end and remove its hooks before the close future ran them). Later
    /// calls find nothing left to tell.
    func markClosed() {
        let (callbacks, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.callbacks = [:]
                state.waiters = [:]
            }
            return (Array(state.callbacks.values), Array(state.waiters.values))
        }
        // Hooks first: they stop work that cancellation does not reach (a decode thread).
        for callback in callbacks { callback() }
        for waiter in waiters { waiter.resume() }
    }
}

/// The disconnect callbacks one request registered, removed when the request ends
/// so that a later close of a keep-alive connection does not reach a finished handler.
final class RequestScope: Sendable {
    let lifetime: ConnectionLifetime
    private let tokens = Mutex<[Int]?>([])

    init(lifetime: ConnectionLifetime) {
        self.lifetime = lifetime
    }

    func onClientDisconnect(_ action: @escaping @Sendable () -> Void) {
        guard let token = lifetime.onClose(action) else { return }
        let stale = tokens.withLock { tokens -> Bool in
            guard tokens != nil else { return true }
            tokens?.append(token)
            return false
        }
        if stale { lifetime.removeCallback(token) }
    }

    func finish() {
        let finished = tokens.withLock { tokens in
            defer { tokens = nil }
            return tokens ?? []
        }
        for token in finished { lifetime.removeCallback(token) }
    }
}
