import Foundation
import SealAPI
import SealGeneration
import SealModel
import SealPlugins
@testable import SealService
import SealTestSupport
import SealTuning
import Testing

/// Head analysis in process on the tiny model (2 layers × 2 heads): requests are bounded, each
/// head's effect is the answer loss with that head's scale at zero (checked against an
/// independent forward pass), a head already at zero has no effect, and a resumed job keeps
/// the heads it had finished.
@Suite("Heads jobs (in process, tiny model)", .serialized)
struct HeadsJobTests {
    static let parameters = #""task":"passkey","lengths":[200,300],"samples":2,"seed":3,"max_tokens":4"#

    /// The built plugins: next to the test binary, or in .build/debug.
    static func pluginDirectory() throws -> URL {
        var candidates = [PackagePaths.root.appendingPathComponent(".build/debug")]
        if let executable = Bundle.main.executableURL { candidates.insert(executable.deletingLastPathComponent(), at: 0) }
        return try #require(candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("libseal-passkey.so").path)
        }, "libseal-passkey.so not built")
    }

    static func start(reusing: URL? = nil) async throws -> InProcessService {
        try await InProcessService.start(model: InProcessService.model(contextLength: 1024), reusing: reusing,
                                         pluginDirectories: [try pluginDirectory().path])
    }

    static func waitForJob(_ id: String, on harness: InProcessService, seconds: Double = 120) async throws -> Job {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let reply = await harness.send(.GET, "/api/jobs/\(id)")
            let job = try APIJSON.decode(Job.self, from: Data(reply.body.utf8))
            if job.state.isFinished { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }

    static func run(_ fields: String, on harness: InProcessService) async throws -> HeadReportContent {
        let reply = await harness.post("/api/jobs", #"{"kind":"heads","heads":{\#(fields)}}"#)
        try #require(reply.status == 201, "\(reply.body)")
        let job = try await waitForJob(try APIJSON.decode(Job.self, from: Data(reply.body.utf8)).id, on: harness)
        try #require(job.state == .succeeded, "\(job)")
        let id = try #require(job.artifacts.first)
        return try await harness.service.store.decodeArtifact(id, as: HeadReportContent.self, expecting: .headReport)
    }

    @Test func badRequestsAreRefusedNamingWhatToChange() async throws {
        let harness = try await Self.start()
        defer { harness.remove() }
        let cases: [(String, Int, String)] = [
            (#""task":"passkey","lengths":[200],"samples":1"#, 400, "exactly two lengths"),
            (#""task":"passkey","lengths":[300,200],"samples":1"#, 400, "shorter first"),
            (#""task":"passkey","lengths":[200,200],"samples":1"#, 400, "shorter first"),
            (#""task":"passkey","lengths":[8,200],"samples":1"#, 400, "heads.lengths must be in 16"),
            (#""task":"passkey","lengths":[200,300],"samples":0"#, 400, "heads.samples"),
            (#""task":"passkey","lengths":[200,300],"samples":100000"#, 400, "heads.samples"),
            (#""task":"passkey","lengths":[200,300],"samples":1,"layers":[2]"#, 400, "heads.layers must be in 0...1"),
            (#""task":"passkey","lengths":[200,300],"samples":1,"layers":[0,0]"#, 400, "distinct"),
            (#""task":"passkey","lengths":[200,300],"samples":1,"layers":[-1]"#, 400, "heads.layers must be in"),
            (#""task":"passkey","lengths":[200,300],"samples":1,"max_seconds":0"#, 400, "heads.max_seconds"),
            (#""task":"passkey","lengths":[200,300],"samples":1,"max_tokens":100000"#, 400, "heads.max_tokens"),
            (#""task":"passkey","lengths":[200,5000],"samples":1"#, 422, "window is"),
            (#""task":"nope","lengths":[200,300],"samples":1"#, 422, "nope"),
        ]
        for (fields, status, message) in cases {
            let reply = await harness.post("/api/jobs", #"{"kind":"heads","heads":{\#(fields)}}"#)
            #expect(reply.status == status, "\(fields): \(reply.body)")
            #expect(reply.body.contains(message), "\(fields): \(reply.body)")
        }
        let stray = await harness.post("/api/jobs", #"{"kind":"heads","heads":{\#(Self.parameters)},"grid":{"task":"passkey","lengths":[16],"depths":[0],"samples_per_cell":1}}"#)
        #expect(stray.status == 400 && stray.body.contains("no other kind's parameter object"), "\(stray.body)")
    }

    /// The job's loss per head equals a plain forward pass (live scales, one evaluation of the
    /// whole sequence) with that head's multiplier at 0: a different path from the job's
    /// (folded scales, greedy generation, then the answer teacher-forced on the cached prompt).
    @Test func eachEffectIsTheAnswerLossWithThatHeadsScaleAtZero() async throws {
        let harness = try await Self.start()
        defer { harness.remove() }
        let report = try await Self.run(Self.parameters, on: harness)
        #expect(report.effects.map { "\($0.layer).\($0.head)" } == ["0.0", "0.1", "1.0", "1.1"])
        #expect(report.baseline.count == 4 && report.lengths.map(\.length) == [200, 300])
        #expect(report.effects.allSatisfy { $0.run == 1 })

        let model = try LanguageModel.load(from: harness.directory.appendingPathComponent("tiny.gguf"))
        let plugins = PluginBridge(registry: PluginRegistry(directories: [try Self.pluginDirectory()]))
        let sampler = TaskSampler(plugins: plugins, model: model, task: "passkey", parameters: [:], seed: 3, sampleCount: 2,
                                  purpose: .evaluation, primeAnswer: true)
        var samples: [[TuningSample]] = []
        for length in [200, 300] {
            samples.append(try (0..<2).map { index in
                let sample = try sampler.sample(index: index, targetTokens: length)
                let prompt = model.taskPrompt(sample.prompt, answerPrefix: sample.answerPrefix ?? "")
                let answer = model.tokenizer.encode(AnswerProbe.continuation(of: sample, primed: true), addSpecialTokens: false,
                                                    parseSpecialTokens: false)
                return TuningSample(tokens: prompt + answer, answerStart: prompt.count)
            })
        }
        let reference = ForwardAnswerLoss(model: model.transformer)
        func meanLoss(_ scales: HeadScales, _ length: Int) throws -> Double {
            try samples[length].map { try reference.loss(for: $0, scales: scales) }.reduce(0, +) / 2
        }
        let identity = HeadScales.identity(for: model.configuration)
        for length in 0..<2 {
            #expect(abs(report.lengths[length].loss - (try meanLoss(identity, length))) < 1e-4)
        }
        for effect in report.effects {
            let zeroed = JobRunner.zeroing(layer: effect.layer, head: effect.head, in: identity,
                                           headDimension: model.configuration.headDimension)
            for length in 0..<2 {
                let expected = try meanLoss(zeroed, length)
                #expect(abs(effect.loss[length] - expected) < 1e-4, "L\(effect.layer).H\(effect.head) length \(length)")
                #expect(abs(effect.lossChange[length] - (effect.loss[length] - report.lengths[length].loss)) < 1e-12)
            }
        }
        // Zeroing a head of a random model moves the loss: the check above compares real numbers.
        #expect(report.effects.contains { abs($0.lossChange[1]) > 1e-4 })
    }

    /// Under a scale set that already silences L0.H1, zeroing it changes nothing at all, while
    /// the other heads still matter.
    @Test func aHeadWhoseScaleIsAlreadyZeroHasNoEffect() async throws {
        let harness = try await Self.start()
        defer { harness.remove() }
        let created = await harness.post("/api/scale-sets", #"{"name":"silenced","strategy":"headwise","values":[1,0,1,1]}"#)
        try #require(created.status == 201, "\(created.body)")
        let scaleSet = try APIJSON.decode(Artifact.self, from: Data(created.body.utf8)).id
        let report = try await Self.run(Self.parameters + #","scale_set":"\#(scaleSet)""#, on: harness)
        let silenced = try #require(report.effects.first { $0.layer == 0 && $0.head == 1 })
        #expect(silenced.lossChange == [0, 0] && silenced.accuracyChange == [0, 0], "\(silenced)")
        #expect(report.effects.filter { abs($0.lossChange[0]) > 1e-6 }.count >= 2, "\(report.effects)")
    }

    /// A job found running at start-up continues from its checkpoint: the head it had finished
    /// keeps its (here deliberately impossible) values and is not computed again.
    @Test func aResumedJobKeepsTheHeadsItHadFinished() async throws {
        let first = try await Self.start()
        defer { first.remove() }
        let complete = try await Self.run(Self.parameters, on: first)

        let request = try APIJSON.decode(CreateJobRequest.self, from: Data(#"{"kind":"heads","heads":{\#(Self.parameters)}}"#.utf8))
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        var kept = complete.effects[0]
        kept.loss = [42, 42]
        kept.lossChange = [41, 41]
        let checkpoint = HeadsCheckpoint(runs: 1, baseline: complete.baseline, baselineSeconds: 0.25, effects: [kept])
        try await first.service.store.saveCheckpoint(checkpoint, job: id)
        try await first.service.store.saveJob(Job(id: id, kind: .heads, name: "resumed", state: .running, createdAt: Date(),
                                                  progress: JobProgress(completed: 2, total: 5, message: "head 1"), request: request))

        let restarted = try await Self.start(reusing: first.directory)
        let job = try await Self.waitForJob(id, on: restarted)
        try #require(job.state == .succeeded, "\(job)")
        let report = try await restarted.service.store.decodeArtifact(try #require(job.artifacts.first), as: HeadReportContent.self,
                                                                      expecting: .headReport)
        #expect(report.effects.count == 4)
        #expect(report.effects.first == kept, "the finished head was computed again")
        #expect(report.effects.dropFirst().allSatisfy { $0.run == 2 })
        #expect(report.baseline == complete.baseline && report.secondsPerHead == 0.25)
        for (resumed, original) in zip(report.effects.dropFirst(), complete.effects.dropFirst()) {
            #expect(resumed.loss == original.loss && resumed.layer == original.layer && resumed.head == original.head)
        }
    }
}
