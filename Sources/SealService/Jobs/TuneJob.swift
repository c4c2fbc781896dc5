import Foundation
import SealAPI
import SealGeneration
import SealModel
import SealTokenizer
import SealTuning

/// What a tuning job writes between steps: enough to continue the run exactly after a
/// restart or `kill -9` (at most one checkpoint interval of steps is redone).
struct TuneCheckpoint: Codable, Sendable {
    /// The dataset trained on, once known (generated datasets are stored first).
    var dataset: String?
    /// Samples generated so far, while the job still makes its own dataset: a restart during
    /// generation (slow for tasks that run the model, such as `model-needles`) keeps them.
    var generated: [DatasetContent.Sample]?
    var state: TrainingState?
    /// Wall time spent in earlier runs of this job.
    var elapsedSeconds: Double
}

/// The gradient engine, handed from step to step; each step runs on its own compute
/// thread, one at a time, so the engine is never used concurrently.
final class GradientEngineBox: @unchecked Sendable {
    let engine: any ScaleGradientComputing
    let validation: ForwardAnswerLoss
    init(engine: any ScaleGradientComputing, validation: ForwardAnswerLoss) {
        self.engine = engine
        self.validation = validation
    }
}

extension JobRunner {
    /// Optimiser steps between checkpoints when the request does not say.
    static let defaultCheckpointInterval = 2

    func validateTune(_ p: TuneJobParameters) async throws {
        switch (p.dataset, p.task) {
        case (_?, _?):
            throw ServiceError.badRequest("tune: give either 'dataset' or 'task', not both")
        case (let id?, nil):
            _ = try await store.decodeArtifact(id, as: DatasetContent.self, expecting: .dataset)
            guard p.samples == nil, p.targetTokens == nil, p.taskParameters == nil else {
                throw ServiceError.badRequest("tune: give either 'dataset' or 'task' with 'samples', 'target_tokens' and 'task_parameters', not both")
            }
        case (nil, let task?):
            guard let tokens = p.targetTokens else { throw ServiceError.badRequest("tune.target_tokens must be given with 'task'") }
            try Self.validateSampling(samples: p.samples ?? TuneJobParameters.defaultSamples, targetTokens: tokens, field: "tune")
            try plugins.checkTask(task, parameters: p.taskParameters ?? [:])
        default:
            throw ServiceError.badRequest("tune: give a 'dataset' id or a 'task' to generate samples with")
        }
        if let every = p.checkpointEvery, !(1...1000).contains(every) {
            throw ServiceError.badRequest("tune.checkpoint_every must be in 1...1000, got \(every)")
        }
        do { try Self.trainingConfiguration(p).validate() } catch { throw ServiceError.badRequest("tune: \(error.description)") }
        if let choice = p.contextExtension { _ = try plugins.positionEncoding(choice) }
        let loaded = try await host.currentOrLoading()
        _ = try plugins.layout(strategy: p.strategy ?? "headwise", parameters: p.strategyParameters ?? [:],
                               configuration: loaded.model.configuration)
    }

    static func trainingConfiguration(_ p: TuneJobParameters) -> TrainingConfiguration {
        TrainingConfiguration(learningRate: p.learningRate, epochs: p.epochs ?? 1, batchSize: p.batchSize ?? 1,
                              weightDecay: p.weightDecay ?? 0, l2TowardsOne: p.l2 ?? 0, gradientClipNorm: p.clipNorm,
                              validationFraction: p.validationFraction ?? 0, earlyStoppingPatience: p.patience,
                              seed: p.seed ?? 0)
    }

    func tune(_ job: Job, _ p: TuneJobParameters, cancellation: CancellationFlag,
              progress: @escaping @Sendable (JobProgress) -> Void) async throws -> JobOutcome {
        let started = Date()
        let primed = p.primeAnswer ?? true
        let loaded = try await host.currentOrLoading()
        let model = loaded.model
        var checkpoint = await store.checkpoint(TuneCheckpoint.self, job: job.id) ?? TuneCheckpoint(elapsedSeconds: 0)
        let earlierSeconds = checkpoint.elapsedSeconds
        let datasetID: String
        if let id = p.dataset ?? checkpoint.dataset {
            datasetID = id
        } else {
            // Validation made sure a job without a dataset names a task and its length.
            guard let task = p.task, let targetTokens = p.targetTokens else {
                return .failed("the job record names neither a dataset nor a task with target_tokens")
            }
            let request = DatasetJobParameters(task: task, samples: p.samples ?? TuneJobParameters.defaultSamples, targetTokens: targetTokens,
                                               seed: p.seed, parameters: p.taskParameters, primeAnswer: primed,
                                               purpose: "training")
            var samples = checkpoint.generated ?? []
            while samples.count < request.samples {
                if cancellation.isCancelled { return .cancelled }
                samples.append(try await makeDatasetSample(request, index: samples.count, model: model))
                checkpoint.generated = samples
                try await store.saveCheckpoint(checkpoint, job: job.id)
                progress(JobProgress(completed: 0, total: 0, message: "generating sample \(samples.count) of \(request.samples)"))
            }
            datasetID = try await saveDataset(request, samples: samples, name: "\(job.name ?? task)-training", job: job.id).id
            checkpoint.dataset = datasetID
            checkpoint.generated = nil
            try await store.saveCheckpoint(checkpoint, job: job.id)
        }
        let dataset = try await store.decodeArtifact(datasetID, as: DatasetContent.self, expecting: .dataset)
        let samples = try dataset.samples.map { try Self.tuningSample($0, model: model, primed: primed) }
        let longest = max(2, samples.map(\.tokens.count).max() ?? 2)
        // Scales are learned under the plan they will serve with: the same resolution as generation
        // and evaluation (the job's choice, else the model's declared scaling, else the daemon's
        // default), planned for the longest sample.
        let resolved = try plugins.resolve(p.contextExtension, loaded: loaded, rope: model.transformer.ropeParameters,
                                           targetLength: longest)
        if let index = samples.firstIndex(where: { $0.tokens.count > resolved.window }) {
            throw ServiceError.unprocessable(
                "sample \(dataset.samples[index].index) needs \(samples[index].tokens.count) positions but the window is \(resolved.window); use shorter samples or a context extension")
        }
        let encoding = resolved.encoding

        let strategy = p.strategy ?? "headwise"
        let layout = try plugins.layout(strategy: strategy, parameters: p.strategyParameters ?? [:], configuration: model.configuration)
        let settings = Self.trainingConfiguration(p)
        var trainer: ScaleTrainer
        do {
            let map = try ScaleParameterMap(layout: layout, configuration: model.configuration)
            trainer = try ScaleTrainer(map: map, configuration: settings, sampleCount: samples.count, resuming: checkpoint.state)
        } catch {
            throw ServiceError.unprocessable(error.description)
        }
        let engines = GradientEngineBox(engine: try makeGradientEngine(model.transformer, encoding, longest),
                                        validation: ForwardAnswerLoss(model: model.transformer, positionEncoding: encoding))
        let every = p.checkpointEvery ?? Self.defaultCheckpointInterval
        let firstStep = trainer.state.step, firstTokens = trainer.state.tokensProcessed
        if firstStep > 0 { logger.notice("tuning resumes from its checkpoint", metadata: ["job": "\(job.id)", "step": "\(firstStep)"]) }
        progress(Self.progress(trainer, loss: trainer.state.lossCurve.last, tokensPerSecond: nil, eta: nil))

        while !trainer.isFinished {
            if cancellation.isCancelled { return .cancelled }
            let current = trainer
            let (next, report) = try await Compute.run(name: "seal-tune") { () throws -> (ScaleTrainer, ScaleTrainer.StepReport) in
                var stepping = current
                do {
                    let report = try stepping.step(samples: samples, gradient: engines.engine, validation: engines.validation)
                    return (stepping, report)
                } catch let error as SealTuningError {
                    throw ServiceError.unprocessable(error.description)
                }
            }
            trainer = next
            if trainer.state.step % every == 0 || trainer.isFinished {
                try await store.saveCheckpoint(TuneCheckpoint(dataset: datasetID, state: trainer.state,
                                                              elapsedSeconds: earlierSeconds + Date().timeIntervalSince(started)),
                                               job: job.id)
            }
            let seconds = max(Date().timeIntervalSince(started), 1e-6)
            let rate = Double(trainer.state.tokensProcessed - firstTokens) / seconds
            let stepsDone = trainer.state.step - firstStep
            let eta = seconds / Double(max(1, stepsDone)) * Double(trainer.totalSteps - trainer.state.step)
            progress(Self.progress(trainer, loss: report.loss, tokensPerSecond: rate, eta: eta))
        }
        let wall = earlierSeconds + Date().timeIntervalSince(started)
        return try await saveScaleSet(job, p, contextExtension: resolved.choice, trainer: trainer, dataset: dataset,
                                      datasetID: datasetID, loaded: loaded,
                                      layoutStrategy: strategy, settings: settings, wallSeconds: wall)
    }

    static func progress(_ trainer: ScaleTrainer, loss: Double?, tokensPerSecond: Double?, eta: Double?) -> JobProgress {
        var message = "step \(trainer.state.step)/\(trainer.totalSteps)"
        if let loss { message += String(format: "  loss %.4f", loss) }
        if let tokensPerSecond { message += String(format: "  %.0f tok/s", tokensPerSecond) }
        if let validation = trainer.state.validationCurve.last { message += String(format: "  val %.4f", validation.loss) }
        return JobProgress(completed: trainer.state.step, total: trainer.totalSteps, message: message, loss: loss,
                           tokensPerSecond: tokensPerSecond, etaSeconds: eta)
    }

    /// A dataset sample as the gradient engine sees it: the task prompt exactly as an evaluation
    /// renders it (chat template, and when `primed` the sample's answer prefix opening the
    /// assistant turn), then the completion (the task's training label without that prefix, else
    /// its answer); only the completion is scored. Training and evaluation thus read the same
    /// tokens, so the scales are learned for the format they are tested in.
    static func tuningSample(_ sample: DatasetContent.Sample, model: LanguageModel, primed: Bool) throws -> TuningSample {
        do {
            return try TuningSample(prompt: sample.prompt, answer: sample.answer, label: sample.label,
                                    answerPrefix: sample.answerPrefix, primed: primed, model: model)
        } catch {
            throw ServiceError.unprocessable("sample \(sample.index) has an empty answer")
        }
    }
}
