import Foundation

/// Runs blocking work (a ``Subprocess`` wait, a curl, a raw socket exchange) on its own
/// thread and awaits it, so it never ties up a thread of Swift's concurrency pool.
public func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
