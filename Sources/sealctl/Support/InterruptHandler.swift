import Dispatch
import Foundation

/// Turns Ctrl-C into task cancellation: the first SIGINT cancels the running command (which
/// disconnects from seald, so the daemon stops generating at once); a second one exits
/// immediately, for a command stuck somewhere cancellation cannot reach.
final class InterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            let seen = self.lock.withLock { () -> Int in
                self.count += 1
                return self.count
            }
            if seen > 1 {
                Terminal.standardError.write("\nsealctl: interrupted\n")
                exit(Failure.interrupted)
            }
            onInterrupt()
        }
        source.resume()
    }

    /// Restores the default SIGINT behaviour.
    func remove() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
