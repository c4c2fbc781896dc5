import CSealTestSpawn
import Foundation
import SealTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Children started by tests are tracked until reaped and ended when the test process exits,
/// and die with it when it is killed (no `atexit` then): the issue 6 "test hygiene" item.
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

    /// The kernel's half: a child started by `seal_test_spawn` gets its death signal when
    /// the thread that forked it ends, as it does when the whole test process is killed.
    @Test func aChildDiesWhenItsForkingThreadEnds() throws {
        let pid = Mutex<pid_t>(0)
        let forked = DispatchSemaphore(value: 0)
        Thread {
            var child: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("60"), nil]
            let envp: [UnsafeMutablePointer<CChar>?] = [nil]
            let status = argv.withUnsafeBufferPointer { a in
                envp.withUnsafeBufferPointer { e in seal_test_spawn("/bin/sleep", a.baseAddress, e.baseAddress, 2, SIGKILL, &child) }
            }
            argv.forEach { free($0) }
            pid.withLock { $0 = status == 0 ? child : -1 }
            forked.signal()
        }.start()
        forked.wait()
        let child = pid.withLock { $0 }
        try #require(child > 0)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(5)
        var reaped: pid_t = 0
        while reaped == 0 && Date() < deadline {
            reaped = waitpid(child, &status, WNOHANG)
            if reaped == 0 { usleep(10_000) }
        }
        if reaped == 0 { Glibc.kill(child, SIGKILL); _ = waitpid(child, nil, 0) }
        #expect(reaped == child, "the child outlived the thread that forked it")
        #expect(status & 0x7f == SIGKILL, "ended by SIGKILL, status \(status)")
    }

    /// The suite's half: children are forked on a thread that lives as long as the process,
    /// so a test thread that asked for one may end without taking the child with it.
    @Test func aChildOutlivesTheTestThreadThatStartedIt() throws {
        let started = Mutex<Subprocess?>(nil)
        let thread = DispatchSemaphore(value: 0)
        Thread {
            started.withLock { $0 = try? Subprocess("/bin/sleep", ["60"]) }
            thread.signal()
        }.start()
        thread.wait()
        let child = try #require(started.withLock { $0 })
        usleep(300_000)
        #expect(!child.poll(), "the child died with the thread that asked for it")
        LiveChildren.end([child.pid], grace: 2)
    }
}

import Synchronization
