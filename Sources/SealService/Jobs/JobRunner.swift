import Foundation
import Logging
import SealAPI
import SealGeneration
import SealModel
import SealPlugins
import SealTokenizer
import SealTuning

/// The work of each job kind, run on a compute thread, checkpointed after
/// every sample so a restarted daemon continues where it stopped.
struct JobRunner: Sendable {
    let host: ModelHost
    let plugins: PluginBridge
    let store: StateStore
    let generation: GenerationService
    let logger: Logger
    /// The backward pass tuning jobs use (the reverse-mode engine; replaceable in tests).
    let makeGradientEngine: @Sendable (TransformerModel, any PositionEncoding, _ capacity: Int) throws -> any ScaleGradientComputing

    func total(of request: CreateJobRequest) -> Int {
        switch request.kind {
        case .dataset: request.dataset?.samples ?? 0
        case .eval, .tune: 0
        case .grid: request.grid?.totalSamples ?? 0
        case .heads: 0  // heads × samples, known once the model is (set when the job starts)
        case .perplexity: 0  // chunks, known once the text is tokenized
        }
    }

    /// Refuses impossible jobs before they are queued.
    func validate(_ request: CreateJobRequest) async throws {
        switch request.kind {
        case .dataset:
            guard let p = request.dataset, Self.parameterObjects(request) == 1 else {
                throw Self.needs(.dataset, "task, samples, target_tokens")
            }
            try Self.validateSampling(samples: p.samples, targetTokens: p.targetTokens, field: "dataset")
            _ = try TaskSampler.purpose(p.purpose)
            try plugins.checkTask(p.task, parameters: p.parameters ?? [:])
        case .tune:
            guard let p = request.tune, Self.parameterObjects(request) == 1 else {
                throw Self.needs(.tune, "task or dataset, strategy, training settings")
            }
            try await validateTune(p)
        case .eval:
            guard let p = request.eval, Self.parameterObjects(request) == 1 else {
                throw Self.needs(.eval, "dataset, optional scale_set, context_extension, max_tokens")
            }
            _ = try await store.decodeArtifact(p.dataset, as: DatasetContent.self, expecting: .dataset)
            if let scaleSet = p.scaleSet { _ = try await store.artifact(scaleSet) }
            if let choice = p.contextExtension { _ = try plugins.positionEncoding(choice) }
            try SampleEvaluator.validate(maxTokens: p.maxTokens, field: "eval.max_tokens")
        case .grid:
            guard let p = request.grid, Self.parameterObjects(request) == 1 else {
                throw Self.needs(.grid, "task, lengths, depths, samples_per_cell")
            }
            try await validateGrid(p)
        case .heads:
            guard let p = request.heads, Self.parameterObjects(request) == 1 else {
                throw Self.needs(.heads, "task, lengths (two), samples")
            }
            try await validateHeads(p)
        case .perplexity:
            guard let p = request.perplexity, Self.parameterObjects(request) == 1 else {
                throw Self.needs(.perplexity, "text, optional context, chunks, kv_cache")
            }
            try await validatePerplexity(p)
        }
        _ = try await host.currentOrLoading()
    }

    /// How many parameter objects (`dataset`, `eval`, `tune`, `grid`, `heads`) a request carries: a job
    /// takes exactly one, its own kind's, so a stray object is refused rather than ignored.
    static func parameterObjects(_ r: CreateJobRequest) -> Int {
        [r.dataset != nil, r.eval != nil, r.tune != nil, r.grid != nil, r.heads != nil, r.perplexity != nil].filter { $0 }.count
    }

    static func needs(_ kind: JobKind, _ contents: String) -> ServiceError {
        .badRequest("\(kind.rawValue) jobs need a '\(kind.rawValue)' object (\(contents)) and no other kind's parameter object")
    }

    /// Most prompt tokens one job may generate in all. A job holds its samples in memory and
    /// writes them as one dataset file, which must stay under the 512 MiB seald reads back
    /// (``StateDirectory/maximumFileBytes``; a token is 4-6 bytes of JSON text): without this,
    /// 10,000 samples of 4M tokens each passed the per-field bounds.
    static let maximumSampledTokens = 64 << 20

    /// Bounds on generated samples, shared by dataset jobs and tune jobs that make their own
    /// (the plugin refuses lengths beyond ``TaskPlugin/maximumTargetTokens``; checked before queueing).
    static func validateSampling(samples: Int, targetTokens: Int, field: String) throws(ServiceError) {
        guard (1...10_000).contains(samples) else { throw .badRequest("\(field).samples must be in 1...10000, got \(samples)") }
        guard (16...TaskPlugin.maximumTargetTokens).contains(targetTokens) else {
            throw .badRequest("\(field).target_tokens must be in 16...\(TaskPlugin.maximumTargetTokens), got \(targetTokens)")
        }
        guard samples * targetTokens <= maximumSampledTokens else {
            throw .badRequest("\(field).samples × target_tokens is \(samples * targetTokens) tokens, more than the \(maximumSampledTokens) one job may generate (its dataset must stay under the 512 MiB seald reads back); use fewer samples or shorter prompts")
        }
    }

    func run(_ job: Job, cancellation: CancellationFlag, progress: @escaping @Sendable (JobProgress) -> Void) async -> JobOutcome {
        do {
            switch job.kind {
            case .dataset:
                guard let p = job.request.dataset else { return .failed("the job record has no dataset parameters") }
                return try await dataset(job, p, cancellation: cancellation, progress: progress)
            case .eval:
                guard let p = job.request.eval else { return .failed("the job record has no eval parameters") }
                return try await evaluate(job, p, cancellation: cancellation, progress: progress)
            case .tune:
                guard let p = job.request.tune else { return .failed("the job record has no tune parameters") }
                return try await tune(job, p, cancellation: cancellation, progress: progress)
            case .grid:
                guard let p = job.request.grid else { return .failed("the job record has no grid parameters") }
                return try await grid(job, p, cancellation: cancellation, progress: progress)
            case .heads:
                guard let p = job.request.heads else { return .failed("the job record has no heads parameters") }
                return try await heads(job, p, cancellation: cancellation, progress: progress)
            case .perplexity:
                guard let p = job.request.perplexity else { return .failed("the job record has no perplexity parameters") }
                return try await perplexity(job, p, cancellation: cancellation, progress: progress)
            }
        } catch let error as ServiceError {
            return .failed(error.message)
        } catch {
            return .failed("\(error)")
        }
    }

    private func dataset(_ job: Job, _ p: DatasetJobParameters, cancellation: CancellationFlag,
                         progress: @escaping @Sendable (JobProgress) -> Void) async throws -> JobOutcome {
        let loaded = try await host.currentOrLoading()
        var samples = Array(try await store.checkpointRecords(DatasetContent.Sample.self, job: job.id).prefix(p.samples))
        while samples.count < p.samples {
            if cancellation.isCancelled { return .cancelled }
            let sample = try await makeDatasetSample(p, index: samples.count, model: loaded.model)
            try await store.appendCheckpointRecord(sample, job: job.id)
            samples.append(sample)
            progress(JobProgress(completed: samples.count, total: p.samples, message: "sample \(samples.count) of \(p.samples)"))
        }
        let artifact = try await saveDataset(p, samples: samples, name: job.name ?? "\(p.task)-\(p.samples)x\(p.targetTokens)", job: job.id)
        let meanTokens = samples.map(\.promptTokens).reduce(0, +) / max(1, samples.count)
        return .succeeded(artifacts: [artifact.id], summary: "\(samples.count) samples, mean prompt \(meanTokens) tokens → \(artifact.id)")
    }

    /// One task sample from the plugin, sized in model-input tokens (see ``TaskSampler``).
    func makeDatasetSample(_ p: DatasetJobParameters, index: Int, model: LanguageModel) async throws -> DatasetContent.Sample {
        let sampler = TaskSampler(plugins: plugins, model: model, task: p.task, parameters: p.parameters ?? [:],
                                  seed: p.seed ?? 0, sampleCount: p.samples, purpose: try TaskSampler.purpose(p.purpose),
                                  primeAnswer: p.primeAnswer ?? false)
        return try await Compute.run(name: "seal-job") { () throws -> DatasetContent.Sample in
            try sampler.sample(index: index, targetTokens: p.targetTokens)
        }
    }

    /// Stores generated samples as a dataset artifact.
    func saveDataset(_ p: DatasetJobParameters, samples: [DatasetContent.Sample], name: String, job: String) async throws -> Artifact {
        let content = DatasetContent(task: p.task, taskVersion: plugins.version(of: p.task), seed: p.seed ?? 0,
                                     targetTokens: p.targetTokens, parameters: p.parameters ?? [:],
                                     primeAnswer: p.primeAnswer, purpose: p.purpose, samples: samples)
        let meanTokens = samples.map(\.promptTokens).reduce(0, +) / max(1, samples.count)
        return try await store.saveArtifact(
            kind: .dataset, name: name, content: content,
            summary: ["task": .string(p.task), "samples": .number(Double(samples.count)),
                      "mean_prompt_tokens": .number(Double(meanTokens)), "job": .string(job)])
    }

    private func evaluate(_ job: Job, _ p: EvalJobParameters, cancellation: CancellationFlag,
                          progress: @escaping @Sendable (JobProgress) -> Void) async throws -> JobOutcome {
        let loaded = try await host.currentOrLoading()
        let dataset = try await store.decodeArtifact(p.dataset, as: DatasetContent.self, expecting: .dataset)
        let transformer = try await generation.transformer(for: p.scaleSet, loaded: loaded)
        let primed = dataset.primeAnswer ?? false
        let longest = dataset.samples.map(\.promptTokens).max() ?? 0
        let maxTokens = p.maxTokens ?? SampleEvaluator.defaultMaxTokens
        let evaluator = SampleEvaluator(loaded: loaded, transformer: transformer, contextExtension: p.contextExtension,
                                        maxTokens: maxTokens, plugins: plugins, task: dataset.task,
                                        parameters: dataset.parameters, capacity: longest + maxTokens)
        let plan = try evaluator.planLabel(reaching: longest + evaluator.maxTokens)
        if let plan { logger.info("job \(job.id): context extension plan \(plan)") }
        var results = Array(try await store.checkpointRecords(EvalReportContent.Result.self, job: job.id)
            .prefix(dataset.samples.count))
        while results.count < dataset.samples.count {
            if cancellation.isCancelled { return .cancelled }
            let sample = dataset.samples[results.count]
            let result = try await Compute.run(name: "seal-job") { () throws -> EvalReportContent.Result in
                let outcome = try evaluator.evaluate(sample, primed: primed)
                return EvalReportContent.Result(index: sample.index, promptTokens: outcome.promptTokens, answer: sample.answer,
                                                output: outcome.output, score: outcome.score.score,
                                                correct: outcome.score.correct, reason: outcome.reason, fields: sample.fields)
            }
            try await store.appendCheckpointRecord(result, job: job.id)
            results.append(result)
            let correct = results.filter(\.correct).count
            progress(JobProgress(completed: results.count, total: dataset.samples.count,
                                 message: "\(correct)/\(results.count) correct"))
        }
        let report = EvalReportContent(dataset: p.dataset, scaleSet: p.scaleSet, contextExtension: p.contextExtension,
                                       plan: plan, results: results)
        let summary = String(format: "accuracy %.2f (%d/%d)", report.accuracy, report.correct, report.total)
            + (plan.map { ", plan \($0)" } ?? "")
        var facts: [String: JSONValue] = ["accuracy": .number(report.accuracy), "dataset": .string(p.dataset),
                                          "samples": .number(Double(report.total)), "job": .string(job.id)]
        if let scaleSet = p.scaleSet { facts["scale_set"] = .string(scaleSet) }
        if let choice = p.contextExtension { facts["context_extension"] = .string(choice.plugin) }
        if let plan { facts["plan"] = .string(plan) }
        let artifact = try await store.saveArtifact(kind: .evalReport, name: job.name ?? "eval-\(p.dataset)", content: report, summary: facts)
        return .succeeded(artifacts: [artifact.id], summary: "\(summary) → \(artifact.id)")
    }
}
