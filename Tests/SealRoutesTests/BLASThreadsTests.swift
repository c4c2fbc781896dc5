import Foundation
import SealTensor
import Synchronization
import Testing

/// OpenBLAS's thread count is process-wide (issue 6, item 7): it is set once when the
/// service starts (`model.threads`) and overlapping generations never change it. Each
/// attention call used to save, set and restore it, and two overlapping calls could
/// leave it at 1 for good.
@Suite("OpenBLAS threads (in process, tiny model)", .timeLimit(.minutes(1)))
struct BLASThreadsTests {
    @Test func theThreadCountStaysAsSetWhileGenerationsOverlap() async throws {
        let harness = try await InProcessService.start(limits: .init(maxConcurrentGenerations: 4, maxQueuedGenerations: 16),
                                                       threads: 2)
        defer { harness.remove() }
        let configured = BLAS.threadCount
        let seen = Mutex<Set<Int>>([])
        let running = Atomic<Bool>(true)
        let watcher = Thread {
            while running.load(ordering: .relaxed) {
                let now = BLAS.threadCount
                seen.withLock { _ = $0.insert(now) }
                usleep(50)
            }
        }
        watcher.start()
        let statuses = await withTaskGroup(of: Int.self) { group in
            for seed in 0..<8 {
                group.addTask {
                    await harness.post("/api/generate", #"{"prompt":"one two three four five six","max_tokens":12,"seed":\#(seed)}"#).status
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        running.store(false, ordering: .relaxed)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(seen.withLock { $0 } == [configured], "OpenBLAS threads changed while generations ran")
        #expect(BLAS.threadCount == configured)
    }
}
