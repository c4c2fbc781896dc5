import Foundation

/// The one thread that starts test children.
///
/// `PR_SET_PDEATHSIG` fires when the *thread* that forked the child ends, not only the
/// process, and the threads of Swift's pool and ``onThread(_:)`` come and go. Forking on
/// a thread that never returns ties each child's life to the test process's.
public final class Spawner: @unchecked Sendable {
    public static let shared = Spawner()

    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { [self] in serve() }
        thread.name = "seal-test-spawner"
        thread.start()
    }

    private func serve() {
        while true {
            condition.lock()
            while work.isEmpty { condition.wait() }
            let next = work.removeFirst()
            condition.unlock()
            next()
        }
    }

    /// Runs `body` on the spawner thread and returns its result.
    public func perform<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        let job = UncheckedJob { box.value = body(); done.signal() }
        condition.lock()
        work.append { job.run() }
        condition.signal()
        condition.unlock()
        done.wait()
        guard let value = box.value else { fatalError("the spawner thread ran no job") }
        return value
    }
}

/// A value handed from the spawner thread to the waiting caller (ordered by the semaphore).
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// A closure run on the spawner thread while its caller waits for it.
private struct UncheckedJob: @unchecked Sendable {
    let run: () -> Void
}
