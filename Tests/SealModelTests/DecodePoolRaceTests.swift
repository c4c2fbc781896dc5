import CSealKernels
import Foundation
import Synchronization
import Testing

/// The decode pool hands jobs of different tasks and part counts to workers the scheduler may
/// preempt at any point. A worker preempted after seeing a job's generation, and before reading
/// its description, once woke to the next job's part count paired with the old generation: it
/// ran parts twice, or pushed the finished count past the part count so that the caller slept
/// for ever (the unit-test process hung). The pool's test hook makes those preemptions common.
@Suite("Decode pool under preemption", .serialized)
struct DecodePoolRaceTests {
    /// Each task adds to its part's counter (context: `Int32` counters, one per part); the two add
    /// different amounts, so a part run with the other job's task shows as well as one run twice.
    /// In a correct pool each counter has one writer per job, so plain adds suffice.
    static let addOne: seal_pool_task = { context, part, _ in
        context?.assumingMemoryBound(to: Int32.self)[Int(part)] += 1
    }

    static let addThousand: seal_pool_task = { context, part, _ in
        context?.assumingMemoryBound(to: Int32.self)[Int(part)] += 1000
    }

    /// Yields or sleeps a few microseconds, differently each call.
    static let preempt: seal_pool_hook = { _ in
        let n = DecodePoolRaceTests.calls.add(1, ordering: .relaxed).oldValue
        if n % 3 == 0 { usleep(useconds_t(n % 50)) } else { sched_yield() }
    }
    static let calls = Atomic<UInt32>(0)

    @Test("Jobs of alternating tasks and part counts each run every part exactly once, with preemption forced")
    func everyPartRunsOnceUnderPreemption() async throws {
        let jobs = 4000
        let done = Atomic<Int>(0)
        let wrong = Atomic<Int>(0)
        // A thread of its own: if the pool hangs, the test reports it instead of hanging the run.
        let thread = Thread {
            seal_pool_set_test_hook(DecodePoolRaceTests.preempt)
            defer { seal_pool_set_test_hook(nil) }
            let capacity = 64
            let hits = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            defer { hits.deallocate() }
            for job in 0..<jobs {
                let parts = 2 + (job % 7) * 9  // 2 ... 56
                let thousands = job % 2 == 1
                hits.initialize(repeating: 0, count: capacity)
                seal_pool_run(thousands ? DecodePoolRaceTests.addThousand : DecodePoolRaceTests.addOne,
                              hits, Int32(parts), 2)
                for part in 0..<capacity {
                    let expected: Int32 = part < parts ? (thousands ? 1000 : 1) : 0
                    if hits[part] != expected { wrong.add(1, ordering: .relaxed) }
                }
                done.store(job + 1, ordering: .releasing)
            }
        }
        thread.start()
        let deadline = ContinuousClock.now + .seconds(60)
        while done.load(ordering: .acquiring) < jobs, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let finished = done.load(ordering: .acquiring)
        #expect(finished == jobs, "the pool hung after \(finished) of \(jobs) jobs")
        #expect(wrong.load(ordering: .relaxed) == 0, "parts run a wrong number of times or with the other job's task")
    }
}
