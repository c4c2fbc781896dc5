import Foundation

/// Runs blocking, CPU-bound work (prefill, decode, tuning) on its own thread.
///
/// The Swift concurrency pool has one thread per core; a generation running
/// there for seconds would stall every other request, health checks included.
package enum Compute {
    package static func run<T: Sendable>(name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// A flag a request handler sets when its client goes away, read by the
/// compute thread between tokens so the generation stops at once.
package final class CancellationFlag: Sendable {
    private let storage = Mutex(false)
    package init() {}
    package var isCancelled: Bool { storage.withLock { $0 } }
    package func cancel() { storage.withLock { $0 = true } }
}

import Synchronization
