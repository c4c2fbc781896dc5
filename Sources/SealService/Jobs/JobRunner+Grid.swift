import Foundation
import Logging
import SealAPI
import SealModel
import SealPlugins

/// How many times a grid job has started (so results computed before a restart are
/// recognisable); its finished results are a checkpoint log of their own. `results` is read
/// only from a checkpoint an older seald wrote, which held them here.
struct GridCheckpoint: Codable, Sendable {
    var runs: Int
    var results: [GridReportContent.Result]?
}

extension JobRunner {
    /// Bounds on a grid request: each enters allocation sizes or the run time.
    enum GridLimits {
        static let axis = 1...64
        static let samplesPerCell = 1...1000
        static let totalSamples = 100_000
    }

    func validateGrid(_ p: GridJobParameters) async throws {
        guard GridLimits.axis.contains(p.lengths.count), GridLimits.axis.contains(p.depths.count) else {
            throw ServiceError.badRequest("grid.lengths and grid.depths need 1...64 entries each, got \(p.lengths.count) and \(p.depths.count)")
        }
        if let bad = p.lengths.first(where: { !(16...TaskPlugin.maximumTargetTokens).contains($0) }) {
            throw ServiceError.badRequest("grid.lengths must be in 16...\(TaskPlugin.maximumTargetTokens), got \(bad)")
        }
        if let bad = p.depths.first(where: { !$0.isFinite || !(0...100).contains($0) }) {
            throw ServiceError.badRequest("grid.depths are percentages in 0...100, got \(bad)")
        }
        guard Set(p.lengths).count == p.lengths.count, Set(p.depths).count == p.depths.count else {
            throw ServiceError.badRequest("grid.lengths and grid.depths must not repeat a value")
        }
        guard GridLimits.samplesPerCell.contains(p.samplesPerCell) else {
            throw ServiceError.badRequest("grid.samples_per_cell must be in 1...1000, got \(p.samplesPerCell)")
        }
        guard p.totalSamples <= GridLimits.totalSamples else {
            throw ServiceError.badRequest("the grid has \(p.totalSamples) samples (at most \(GridLimits.totalSamples)); use fewer lengths, depths or samples per cell")
        }
        try SampleEvaluator.validate(maxTokens: p.maxTokens, field: "grid.max_tokens")
        let given = p.parameters ?? [:]
        for name in ["depth_mode", "depth"] where given[name] != nil {
            throw ServiceError.badRequest("grid.parameters must not set '\(name)': each cell sets it from grid.depths")
        }
        let names = try plugins.taskParameterNames(p.task)
        guard names.contains("depth_mode"), names.contains("depth") else {
            throw ServiceError.unprocessable("task '\(p.task)' has no 'depth_mode' and 'depth' parameters, so it cannot place answers at grid depths")
        }
        try plugins.checkTask(p.task, parameters: Self.cellParameters(given, depth: p.depths[0]))
        if let scaleSet = p.scaleSet { _ = try await store.artifact(scaleSet) }
        // Refuse now rather than fail at the first long cell.
        let loaded = try await host.currentOrLoading()
        let reach = Self.reach(p)
        let resolved = try plugins.resolve(p.contextExtension, loaded: loaded,
                                           rope: loaded.model.transformer.ropeParameters, targetLength: reach)
        guard reach <= resolved.window else {
            throw plugins.overflow(job: "the longest cell's samples", needed: reach, window: resolved.window,
                                   rope: loaded.model.transformer.ropeParameters)
        }
    }

    /// New tokens per answer: the request's, else the evaluator's default.
    static func maxTokens(_ p: GridJobParameters) -> Int { p.maxTokens ?? SampleEvaluator.defaultMaxTokens }

    /// Positions the longest cell's samples may reach: they land within 2% of their length, plus the answer.
    static func reach(_ p: GridJobParameters) -> Int { (p.lengths.max() ?? 0) * 102 / 100 + maxTokens(p) }

    static func cellParameters(_ parameters: [String: JSONValue], depth: Double) -> [String: JSONValue] {
        parameters.merging(["depth_mode": .string("fixed"), "depth": .number(depth)]) { _, cell in cell }
    }

    func grid(_ job: Job, _ p: GridJobParameters, cancellation: CancellationFlag,
              progress: @escaping @Sendable (JobProgress) -> Void) async throws -> JobOutcome {
        let loaded = try await host.currentOrLoading()
        let transformer = try await generation.transformer(for: p.scaleSet, loaded: loaded)
        let plugins = self.plugins
        let given = p.parameters ?? [:], primed = p.primeAnswer ?? false
        let evaluator = SampleEvaluator(loaded: loaded, transformer: transformer, contextExtension: p.contextExtension,
                                        maxTokens: Self.maxTokens(p), plugins: plugins, task: p.task, parameters: given,
                                        capacity: Self.reach(p), reusePrefixes: p.prefixReuse ?? true)
        // Labelled for the longest cell; each sample is planned for its own length.
        let plan = try evaluator.planLabel(reaching: Self.reach(p))
        if let plan { logger.info("job \(job.id): context extension plan \(plan)") }
        let total = p.totalSamples, perCell = p.samplesPerCell, columns = p.lengths.count
        var checkpoint = await store.checkpoint(GridCheckpoint.self, job: job.id) ?? GridCheckpoint(runs: 0)
        var results = Array(try await store.checkpointRecords(GridReportContent.Result.self, job: job.id) { data in
            (try? APIJSON.decoder().decode(GridCheckpoint.self, from: data))?.results
        }.prefix(total))
        checkpoint.runs += 1
        checkpoint.results = nil
        if !results.isEmpty {
            logger.notice("resuming grid job at sample \(results.count + 1) of \(total); \(results.count / perCell) finished cells kept",
                          metadata: ["job": "\(job.id)"])
        }
        try await store.saveCheckpoint(checkpoint, job: job.id)
        let run = checkpoint.runs
        while results.count < total {
            if cancellation.isCancelled { return .cancelled }
            let position = results.count
            let cell = position / perCell, row = cell / columns, column = cell % columns
            let sampler = TaskSampler(plugins: plugins, model: loaded.model, task: p.task,
                                      parameters: Self.cellParameters(given, depth: p.depths[row]), seed: p.seed ?? 0,
                                      sampleCount: total, purpose: .evaluation, primeAnswer: primed)
            let result = try await Compute.run(name: "seal-job") { () throws -> GridReportContent.Result in
                let sample = try sampler.sample(index: position, targetTokens: p.lengths[column])
                let outcome = try evaluator.evaluate(sample, primed: primed)
                return GridReportContent.Result(cell: cell, index: position, promptTokens: outcome.promptTokens,
                                                answer: sample.answer, output: outcome.output, score: outcome.score.score,
                                                correct: outcome.score.correct, reason: outcome.reason, run: run)
            }
            try await store.appendCheckpointRecord(result, job: job.id)
            results.append(result)
            let inCell = results.suffix(position % perCell + 1)
            progress(JobProgress(completed: results.count, total: total,
                                 message: "cell \(cell + 1)/\(total / perCell) (\(p.lengths[column]) tokens, depth \(Self.percent(p.depths[row]))): \(inCell.filter(\.correct).count)/\(inCell.count) correct"))
        }
        let reuse = evaluator.promptCache.statistics
        logger.info("job \(job.id): prefix reuse kept \(reuse.reusedTokens) of \(reuse.promptTokens) prompt tokens over \(reuse.prompts) samples")
        let report = GridReportContent(task: p.task, taskVersion: plugins.version(of: p.task), parameters: p, plan: plan,
                                       results: results)
        var facts: [String: JSONValue] = ["task": .string(p.task), "accuracy": .number(report.total.accuracy),
                                          "cells": .number(Double(report.cells.count)),
                                          "samples": .number(Double(report.total.total)), "job": .string(job.id)]
        if let scaleSet = p.scaleSet { facts["scale_set"] = .string(scaleSet) }
        if let plan { facts["plan"] = .string(plan) }
        facts["prefix_reused_tokens"] = .number(Double(reuse.reusedTokens))
        facts["prompt_tokens"] = .number(Double(reuse.promptTokens))
        let artifact = try await store.saveArtifact(kind: .gridReport, name: job.name ?? "grid-\(p.task)", content: report,
                                                    summary: facts)
        let summary = String(format: "accuracy %.2f (%d/%d; 95%% CI %.2f-%.2f) over %d cells",
                             report.total.accuracy, report.total.correct, report.total.total,
                             report.total.low, report.total.high, report.cells.count) + (plan.map { ", plan \($0)" } ?? "")
            + ", prefix reuse kept \(reuse.reusedTokens) of \(reuse.promptTokens) prompt tokens"
        return .succeeded(artifacts: [artifact.id], summary: "\(summary) → \(artifact.id)")
    }

    static func percent(_ depth: Double) -> String {
        depth == depth.rounded() ? "\(Int(depth))%" : String(format: "%.1f%%", depth)
    }
}
