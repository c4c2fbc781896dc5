import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import SealServer

/// A handler's ``Context/onClientDisconnect(_:)`` hook runs exactly once when its client goes
/// away mid-request, whether the connection's close future completes first or a stream's failed
/// write marks the connection closed first (the request then ends, and its end used to remove the
/// hook before the close future could run it), and never for a request that ended before the
/// connection closed.
@Suite("Disconnect hooks")
struct DisconnectHookTests {
    /// A connection lifetime over a close future this test completes, a request scope on it, and
    /// a hook that counts its runs.
    final class Counter: Sendable {
        let runs = Mutex(0)
    }

    struct Connection {
        let group: MultiThreadedEventLoopGroup
        let close: EventLoopPromise<Void>
        let scope: RequestScope
        let counter = Counter()

        init() {
            group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            close = group.next().makePromise(of: Void.self)
            scope = RequestScope(lifetime: ConnectionLifetime(closeFuture: close.futureResult))
            let counter = self.counter
            scope.onClientDisconnect { counter.runs.withLock { $0 += 1 } }
        }

        var count: Int { counter.runs.withLock { $0 } }

        /// Completes the close future; its callbacks (the lifetime's first) have run on return.
        func closeConnection() async throws {
            close.succeed(())
            try await close.futureResult.get()
        }
    }

    @Test func aFailedWriteBeforeTheCloseRunsTheHookOnce() async throws {
        let connection = Connection()
        connection.scope.lifetime.markClosed()  // what a write that finds the client gone does
        #expect(connection.count == 1)
        connection.scope.finish()
        try await connection.closeConnection()
        #expect(connection.count == 1, "the close ran the hook again")
        try await connection.group.shutdownGracefully()
    }

    @Test func theCloseBeforeTheFailedWriteRunsTheHookOnce() async throws {
        let connection = Connection()
        try await connection.closeConnection()
        #expect(connection.count == 1)
        connection.scope.lifetime.markClosed()  // what a write that finds the client gone does
        connection.scope.finish()
        #expect(connection.count == 1, "the failed write ran the hook again")
        try await connection.group.shutdownGracefully()
    }

    @Test func aRequestThatEndedBeforeTheCloseKeepsItsHookQuiet() async throws {
        let connection = Connection()
        connection.scope.finish()
        try await connection.closeConnection()
        #expect(connection.count == 0, "a finished request's hook ran when the keep-alive connection closed")
        try await connection.group.shutdownGracefully()
    }
}
