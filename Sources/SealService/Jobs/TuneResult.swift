import Foundation
import SealAPI
import struct SealFormats.SafetensorsWriter
import SealModel
import SealTuning

extension JobRunner {
    /// Stores a finished run as a scale-set artifact: the tensors in safetensors (written
    /// first) and the JSON content with how they were learned.
    /// `contextExtension` is the plan the scales were learned under, as resolved (the job's
    /// choice or the model's or daemon's default), `nil` for plain RoPE.
    func saveScaleSet(_ job: Job, _ p: TuneJobParameters, contextExtension: ContextExtensionChoice?, trainer: ScaleTrainer,
                      dataset: DatasetContent, datasetID: String, loaded: ModelHost.Loaded, layoutStrategy strategy: String, settings: TrainingConfiguration,
                      wallSeconds: Double) async throws -> JobOutcome {
        let c = loaded.model.configuration
        let values = trainer.result
        let scales: HeadScales
        do { scales = try trainer.map.headScales(values) } catch { throw ServiceError.unprocessable(error.description) }
        let modelName = ModelHost.info(loaded).name
        let hash: String
        do {
            let path = loaded.path
            hash = try await Compute.run(name: "seal-hash") { try ModelFingerprint.of(path: path) }
        } catch let error as SealTuningError {
            throw ServiceError.internal(error.description)
        }
        var hyperparameters = Self.hyperparameters(settings, learningRate: settings.learningRate(for: trainer.map),
                                                   validationInterval: trainer.validationInterval)
        hyperparameters["prime_answer"] = .bool(p.primeAnswer ?? true)
        let id = StateStore.makeID(prefix: StateStore.prefix(of: .scaleSet))
        var writer = SafetensorsWriter()
        try writer.add("values", shape: [values.count], values: values.map(Float.init))
        try writer.add("scales", shape: [c.layerCount, c.queryDimension], values: scales.layers.flatMap { $0 })
        for (key, value) in ["model": modelName, "model_hash": hash, "strategy": strategy, "task": dataset.task,
                             "dataset": datasetID, "seed": "\(settings.seed)", "format": "seal-scale-set"] {
            writer.setMetadata(key, value)
        }
        let tensors = try await store.saveAttachment(try writer.data(), artifact: id, suffix: "safetensors")
        let state = trainer.state
        let training = ScaleSetTraining(
            modelPath: loaded.path, modelHash: hash, task: dataset.task, dataset: datasetID, samples: dataset.samples.count,
            seed: settings.seed, contextExtension: contextExtension, hyperparameters: hyperparameters,
            lossCurve: state.lossCurve, validationCurve: state.validationCurve.map { [Double($0.step), $0.loss] },
            steps: state.step, stoppedEarly: state.stoppedEarly, tokens: state.tokensProcessed, wallSeconds: wallSeconds,
            tensorsFile: tensors.path)
        let content = ScaleSetContent(
            strategy: strategy, parameters: p.strategyParameters ?? [:], model: modelName, layers: c.layerCount,
            heads: c.headCount, headDimension: c.headDimension, values: values,
            scales: scales.layers.map { $0.map(Double.init) }, training: training)
        let first = state.lossCurve.prefix(5), last = state.lossCurve.suffix(5)
        let startLoss = first.reduce(0, +) / Double(max(1, first.count))
        let endLoss = last.reduce(0, +) / Double(max(1, last.count))
        var summary: [String: JSONValue] = [
            "strategy": .string(strategy), "parameters": .number(Double(values.count)), "task": .string(dataset.task),
            "dataset": .string(datasetID), "steps": .number(Double(state.step)), "job": .string(job.id),
            "mean": .number(values.reduce(0, +) / Double(max(1, values.count))),
            "min": .number(values.min() ?? 1), "max": .number(values.max() ?? 1),
            "loss_start": .number(startLoss), "loss_end": .number(endLoss), "wall_seconds": .number(wallSeconds),
        ]
        if let best = state.bestValidationLoss { summary["validation_loss"] = .number(best) }
        if let choice = contextExtension { summary["context_extension"] = .string(choice.plugin) }
        let artifact = try await store.saveArtifact(kind: .scaleSet, name: job.name ?? "\(strategy)-\(dataset.task)",
                                                    content: content, summary: summary, id: id)
        let line = String(format: "%d steps, loss %.3f → %.3f (mean of first/last 5), %.0fs",
                          state.step, startLoss, endLoss, wallSeconds)
        // A dataset the job generated itself is one of its products; a given one is not.
        return .succeeded(artifacts: p.dataset == nil ? [artifact.id, datasetID] : [artifact.id],
                          summary: "\(line) → \(artifact.id)")
    }

    static func hyperparameters(_ s: TrainingConfiguration, learningRate: Double, validationInterval: Int) -> [String: JSONValue] {
        var out: [String: JSONValue] = [
            "optimizer": .string("adamw"), "learning_rate": .number(learningRate), "epochs": .number(Double(s.epochs)),
            "batch_size": .number(Double(s.batchSize)), "beta1": .number(s.beta1), "beta2": .number(s.beta2),
            "epsilon": .number(s.epsilon), "weight_decay": .number(s.weightDecay), "l2": .number(s.l2TowardsOne),
            "validation_fraction": .number(s.validationFraction), "shuffle": .bool(s.shuffle),
        ]
        if let clip = s.gradientClipNorm { out["clip_norm"] = .number(clip) }
        if s.validationFraction > 0 { out["validation_interval"] = .number(Double(validationInterval)) }
        if let patience = s.earlyStoppingPatience { out["patience"] = .number(Double(patience)) }
        return out
    }
}
