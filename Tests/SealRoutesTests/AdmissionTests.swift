import Foundation
import SealConfig
@testable import SealService
import Testing

/// Admission belongs to the request's life (issue 6, items 7, 11, 13): a queued
/// request whose client leaves frees its place and never runs; a full queue is 429;
/// reloaded limits reach the running gate; waits for a model end with the request.
@Suite("Admission (in process, tiny model)", .timeLimit(.minutes(1)))
struct AdmissionTests {
    /// Polls `condition` for up to 5 s.
    func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func queueingThen429ThenDisconnectFreesThePlace() async throws {
        let harness = try await InProcessService.start(limits: .init(maxConcurrentGenerations: 1, maxQueuedGenerations: 1))
        defer { harness.remove() }
        let gate = harness.service.generation.resources.gate
        let metrics = harness.service.metrics
        // Hold the only slot, as a long generation would.
        try await gate.acquire(what: "test")
        let started = metrics.startedGenerations

        let queued = Task { await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":2}"#) }
        #expect(await eventually { gate.queued == 1 }, "the request should wait in the queue")

        let refused = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":2}"#)
        #expect(refused.status == 429, "\(refused.body)")
        #expect(refused.body.contains("max_queued_generations"))

        // The client goes away: the server cancels the handler's task.
        queued.cancel()
        _ = await queued.value
        #expect(gate.queued == 0, "a cancelled waiter must leave the queue")
        #expect(gate.active == 1, "only the test's slot is held")
        #expect(metrics.startedGenerations == started, "the cancelled request's prefill must never run")

        // Its place is free: another request queues, and runs once the slot is released.
        let next = Task { await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":2}"#) }
        #expect(await eventually { gate.queued == 1 })
        gate.release()
        let reply = await next.value
        #expect(reply.status == 200, "\(reply.body)")
        #expect(await eventually { gate.active == 0 && gate.queued == 0 })
        #expect(harness.service.generation.resources.memory.reservedBytes == 0)
    }

    @Test func reloadAppliesGenerationLimitsToTheRunningGate() async throws {
        let harness = try await InProcessService.start(limits: .init(maxConcurrentGenerations: 1, maxQueuedGenerations: 0))
        defer { harness.remove() }
        let gate = harness.service.generation.resources.gate
        try await gate.acquire(what: "test")
        let refused = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":1}"#)
        #expect(refused.status == 429)

        var configuration = harness.configuration
        configuration.limits.maxConcurrentGenerations = 2
        configuration.limits.maxQueuedGenerations = 3
        configuration.limits.memoryBudgetMB = 32
        _ = try harness.service.reload(configuration)
        #expect(gate.limits.limit == 2 && gate.limits.queueLimit == 3)
        #expect(harness.service.generation.resources.memory.totalBytes == 32 << 20)
        let admitted = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":1}"#)
        #expect(admitted.status == 200, "the second slot from the reload should admit it: \(admitted.body)")
        gate.release()
    }

    /// A FIFO blocked the loader forever; devices and directories are no models either.
    @Test func loadRefusesFilesThatAreNotRegular() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let fifo = harness.directory.appendingPathComponent("model.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, kind) in [(fifo, "FIFO"), ("/dev/zero", "device"), (harness.directory.path, "directory")] {
            let reply = await harness.post("/api/models/load", #"{"path":"\#(path)"}"#)
            #expect(reply.status == 422, "\(path): \(reply.status) \(reply.body)")
            #expect(reply.body.contains(kind), "\(reply.body)")
        }
        #expect(harness.service.host.isLoaded, "a refused load keeps the current model")
    }

    /// Requests waiting for a model being loaded honour their timeout (the server
    /// cancels the handler's task when it expires) and answer 503.
    @Test func waitingForAModelEndsWhenTheRequestIsCancelled() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let host = harness.service.host
        try host.unload()
        host.beginLoading()
        defer { host.endLoading() }
        let waiting = Task { await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":1}"#) }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        let reply = await waiting.value
        #expect(reply.status == 503, "\(reply.body)")
        #expect(reply.body.contains("model_not_loaded"))
    }
}
