import Foundation
import SealTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Children started by tests are tracked until reaped and ended when the test process exits.
@Suite("Test children are ended")
struct LiveChildrenTests {
    @Test func aChildIsTrackedUntilEndedAndThenGone() throws {
        let child = try Subprocess("/bin/sleep", ["60"])
        #expect(LiveChildren.running.contains(child.pid))
        LiveChildren.end([child.pid], grace: 2)
        #expect(!LiveChildren.running.contains(child.pid))
        // Reaped: the pid no longer names a process of ours.
        #expect(Glibc.kill(child.pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aReapedChildLeavesTheRegistry() throws {
        let child = try Subprocess("/bin/true", [])
        #expect(child.wait() == 0)
        #expect(!LiveChildren.running.contains(child.pid))
    }

    @Test func aChildIgnoringSIGTERMIsKilledAfterTheGracePeriod() throws {
        let child = try Subprocess("/bin/sh", ["-c", "trap '' TERM; exec sleep 60"])
        usleep(200_000) // let the shell install its trap
        let start = Date()
        LiveChildren.end([child.pid], grace: 0.5)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(Glibc.kill(child.pid, 0) == -1 && errno == ESRCH)
    }
}
