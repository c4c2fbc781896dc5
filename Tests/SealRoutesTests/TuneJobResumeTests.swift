import Foundation
import SealAPI
@testable import SealService
import SealTestSupport
import Testing

/// A tuning job that makes its own dataset checkpoints each generated sample: a daemon stopped
/// while it was still generating continues from the samples it had, instead of starting over.
@Suite("Tune jobs resume their sample generation (in process, tiny model)", .serialized)
struct TuneJobResumeTests {
    static let body = #"{"kind":"tune","tune":{"task":"passkey","samples":3,"target_tokens":200,"seed":5,"strategy":"headwise"}}"#

    static func run(on harness: InProcessService) async throws -> DatasetContent {
        let reply = await harness.post("/api/jobs", body)
        try #require(reply.status == 201, "\(reply.body)")
        // Generous: in the full suite this tiny job ran past 120 s beside the real-model tests (cause unproven).
        let job = try await HeadsJobTests.waitForJob(try APIJSON.decode(Job.self, from: Data(reply.body.utf8)).id, on: harness, seconds: 900)
        return try await dataset(of: job, on: harness)
    }

    static func dataset(of job: Job, on harness: InProcessService) async throws -> DatasetContent {
        try #require(job.state == .succeeded, "\(job)")
        try #require(job.artifacts.count == 2, "a tune job that generates its samples returns the scale set and the dataset")
        return try await harness.service.store.decodeArtifact(job.artifacts[1], as: DatasetContent.self, expecting: .dataset)
    }

    @Test func aRestartDuringGenerationKeepsTheSamplesAlreadyMade() async throws {
        let first = try await HeadsJobTests.start()
        defer { first.remove() }
        let complete = try await Self.run(on: first)
        #expect(complete.samples.count == 3)

        // A job found running, with one sample generated before the stop (marked so that reusing
        // it shows; generating it again would not carry the mark).
        var kept = complete.samples[0]
        kept.fields = (kept.fields ?? [:]).merging(["made_before_the_restart": .bool(true)]) { $1 }
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        try await first.service.store.saveCheckpoint(TuneCheckpoint(generated: [kept], elapsedSeconds: 1), job: id)
        let request = try APIJSON.decode(CreateJobRequest.self, from: Data(Self.body.utf8))
        try await first.service.store.saveJob(Job(id: id, kind: .tune, name: "resumed", state: .running, createdAt: Date(),
                                                  progress: JobProgress(completed: 0, total: 0, message: "generating sample 1 of 3"),
                                                  request: request))

        let restarted = try await HeadsJobTests.start(reusing: first.directory)
        let resumed = try await Self.dataset(of: try await HeadsJobTests.waitForJob(id, on: restarted, seconds: 900), on: restarted)
        #expect(resumed.samples.count == 3)
        #expect(resumed.samples.first == kept, "the sample made before the restart was generated again")
        #expect(Array(resumed.samples.dropFirst()) == Array(complete.samples.dropFirst()), "later samples differ from a run without a stop")
    }
}
