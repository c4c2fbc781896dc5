import NIOCore
import Synchronization

/// The open connections and whether each is in the middle of a request, so that
/// a graceful shutdown can close idle keep-alive connections at once, let busy ones
/// finish their current request, and close whatever is left at the deadline.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: Channel
        var busy: Bool
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
        var draining = false
    }

    private let state = Mutex(State())

    /// What ``register(_:limit:)`` made of a new connection.
    enum Registration: Equatable {
        case registered(id: Int)
        case shuttingDown
        /// `open` connections are open already, as many as the limit allows.
        case full(open: Int)
    }

    /// Registers a new connection unless the server is shutting down or `limit`
    /// connections are open already (checked and counted in one step).
    func register(_ channel: Channel, limit: Int? = nil) -> Registration {
        state.withLock { state in
            guard !state.draining else { return .shuttingDown }
            if let limit, state.entries.count >= limit { return .full(open: state.entries.count) }
            defer { state.nextID += 1 }
            state.entries[state.nextID] = Entry(channel: channel, busy: false)
            return .registered(id: state.nextID)
        }
    }

    func unregister(_ id: Int) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Marks a request as started; `false` when draining (the request should be refused).
    func beginRequest(_ id: Int) -> Bool {
        state.withLock { state in
            guard !state.draining else { return false }
            state.entries[id]?.busy = true
            return true
        }
    }

    /// Marks a request as finished; `false` when draining (the connection should close now).
    func endRequest(_ id: Int) -> Bool {
        state.withLock { state in
            state.entries[id]?.busy = false
            return !state.draining
        }
    }

    func isBusy(_ id: Int) -> Bool {
        state.withLock { $0.entries[id]?.busy ?? false }
    }

    var isDraining: Bool { state.withLock { $0.draining } }
    var count: Int { state.withLock { $0.entries.count } }

    /// Stops new requests and closes the idle connections.
    func drain() {
        let idle = state.withLock { state in
            state.draining = true
            return state.entries.values.filter { !$0.busy }.map(\.channel)
        }
        for channel in idle { channel.close(promise: nil) }
    }

    /// Closes every connection, busy or not (the shutdown deadline).
    func closeAll() {
        let all = state.withLock { state in
            state.draining = true
            return state.entries.values.map(\.channel)
        }
        for channel in all { channel.close(promise: nil) }
    }
}
