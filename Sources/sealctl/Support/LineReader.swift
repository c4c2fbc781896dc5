import Foundation

/// Reads lines of standard input on a thread of its own, so that waiting for a person to type
/// blocks no thread of the concurrency pool, and Ctrl-C while waiting ends the wait at once.
enum LineReader {
    /// The next line without its newline, or nil at end of input.
    static func next() async throws -> String? {
        let box = ResumeOnce()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String?, any Error>) in
                box.set(continuation)
                let thread = Thread { box.resume(.success(readLine(strippingNewline: true))) }
                thread.name = "sealctl-stdin"
                thread.start()
            }
        } onCancel: {
            box.resume(.failure(CancellationError()))
        }
    }
}

/// A continuation that the reader thread and the cancellation handler race to resume; the
/// first wins. A cancellation that comes before the continuation exists is kept for it.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<String?, any Error>?
    private var early: Result<String?, any Error>?
    private var done = false

    func set(_ continuation: CheckedContinuation<String?, any Error>) {
        let pending: Result<String?, any Error>? = lock.withLock {
            if let early { done = true; return early }
            self.continuation = continuation
            return nil
        }
        if let pending { continuation.resume(with: pending) }
    }

    func resume(_ result: Result<String?, any Error>) {
        let target: CheckedContinuation<String?, any Error>? = lock.withLock {
            guard !done else { return nil }
            guard let continuation else {
                if early == nil { early = result }
                return nil
            }
            done = true
            self.continuation = nil
            return continuation
        }
        target?.resume(with: result)
    }
}
