import Foundation
import Logging
import SealAPI
import SealModel
import SealPlugins

/// What a heads job keeps between heads: the baseline (with the time it took, which prices
/// the run), every finished head, and how many times the job has started.
struct HeadsCheckpoint: Codable, Sendable {
    var runs: Int
    var baseline: [HeadReportContent.BaselineSample]?
    var baselineSeconds: Double?
    var effects: [HeadReportContent.HeadEffect]
}

extension JobRunner {
    /// Bounds on a heads request: each enters allocation sizes or the run time.
    enum HeadsLimits {
        static let samples = 1...256
        static let maxSeconds = 1.0...1e7
        /// Most forward passes in one job (heads + 1) × 2 × samples.
        static let passes = 2_000_000
        static let defaultMaxTokens = 16
    }

    func validateHeads(_ p: HeadsJobParameters) async throws {
        guard p.lengths.count == 2 else {
            throw ServiceError.badRequest("heads.lengths needs exactly two lengths (short, long), got \(p.lengths.count)")
        }
        if let bad = p.lengths.first(where: { !(16...TaskPlugin.maximumTargetTokens).contains($0) }) {
            throw ServiceError.badRequest("heads.lengths must be in 16...\(TaskPlugin.maximumTargetTokens), got \(bad)")
        }
        guard p.lengths[0] < p.lengths[1] else {
            throw ServiceError.badRequest("heads.lengths must be given shorter first and differ, got \(p.lengths[0]) and \(p.lengths[1])")
        }
        guard HeadsLimits.samples.contains(p.samples) else {
            throw ServiceError.badRequest("heads.samples must be in 1...256 (samples per length), got \(p.samples)")
        }
        let sampled = p.samples * (p.lengths[0] + p.lengths[1])
        guard sampled <= Self.maximumSampledTokens else {
            throw ServiceError.badRequest("heads.samples × (both lengths) is \(sampled) prompt tokens, more than the \(Self.maximumSampledTokens) one job may hold; use fewer samples or shorter lengths")
        }
        try SampleEvaluator.validate(maxTokens: p.maxTokens, field: "heads.max_tokens")
        if let limit = p.maxSeconds, !(limit.isFinite && HeadsLimits.maxSeconds.contains(limit)) {
            throw ServiceError.badRequest("heads.max_seconds must be in 1...10000000, got \(limit)")
        }
        try plugins.checkTask(p.task, parameters: p.parameters ?? [:])
        if let scaleSet = p.scaleSet { _ = try await store.artifact(scaleSet) }
        let loaded = try await host.currentOrLoading()
        let c = loaded.model.configuration
        if let layers = p.layers {
            guard (1...c.layerCount).contains(layers.count), Set(layers).count == layers.count else {
                throw ServiceError.badRequest("heads.layers needs 1...\(c.layerCount) distinct layer numbers, got \(layers.count)")
            }
            if let bad = layers.first(where: { !(0..<c.layerCount).contains($0) }) {
                throw ServiceError.badRequest("heads.layers must be in 0...\(c.layerCount - 1) (the model has \(c.layerCount) layers), got \(bad)")
            }
        }
        let heads = Self.headList(p, c).count
        guard (heads + 1) * 2 * p.samples <= HeadsLimits.passes else {
            throw ServiceError.badRequest("\(heads) heads × 2 lengths × \(p.samples) samples is more than \(HeadsLimits.passes) passes; use fewer samples or layers")
        }
        let reach = p.lengths[1] * 102 / 100 + (p.maxTokens ?? HeadsLimits.defaultMaxTokens)
        let resolved = try plugins.resolve(p.contextExtension, loaded: loaded, rope: loaded.model.transformer.ropeParameters,
                                           targetLength: reach)
        guard reach <= resolved.window else {
            throw plugins.overflow(job: "the long samples", needed: reach, window: resolved.window,
                                   rope: loaded.model.transformer.ropeParameters)
        }
    }

    /// The (layer, head) pairs a job zeroes, layer-major.
    static func headList(_ p: HeadsJobParameters, _ c: ModelConfiguration) -> [(layer: Int, head: Int)] {
        (p.layers ?? Array(0..<c.layerCount)).sorted().flatMap { layer in (0..<c.headCount).map { (layer, $0) } }
    }

    /// `base` with every channel of one head set to 0.
    static func zeroing(layer: Int, head: Int, in base: HeadScales, headDimension: Int) -> HeadScales {
        var scales = base
        let start = head * headDimension
        for channel in start..<(start + headDimension) { scales.layers[layer][channel] = 0 }
        return scales
    }

    func heads(_ job: Job, _ p: HeadsJobParameters, cancellation: CancellationFlag,
               progress: @escaping @Sendable (JobProgress) -> Void) async throws -> JobOutcome {
        let loaded = try await host.currentOrLoading()
        let c = loaded.model.configuration
        let transformer = try await generation.transformer(for: p.scaleSet, loaded: loaded)
        let base = transformer.scales ?? HeadScales.identity(for: c)
        let primed = p.primeAnswer ?? true, given = p.parameters ?? [:]
        let probe = AnswerProbe(loaded: loaded, contextExtension: p.contextExtension,
                                maxTokens: p.maxTokens ?? HeadsLimits.defaultMaxTokens, plugins: plugins, task: p.task,
                                parameters: given)
        let plan = try plugins.resolve(p.contextExtension, loaded: loaded, rope: transformer.ropeParameters,
                                       targetLength: p.lengths[1] * 102 / 100 + probe.maxTokens).label
        let heads = Self.headList(p, c)
        let samplers = p.lengths.indices.map { _ in
            TaskSampler(plugins: plugins, model: loaded.model, task: p.task, parameters: given, seed: p.seed ?? 0,
                        sampleCount: p.samples, purpose: .evaluation, primeAnswer: primed)
        }
        let prepared = try await Compute.run(name: "seal-job") { () throws -> [[AnswerProbe.Prepared]] in
            try p.lengths.enumerated().map { li, length in
                try (0..<p.samples).map { try probe.prepare(samplers[li].sample(index: $0, targetTokens: length), primed: primed) }
            }
        }
        var checkpoint = await store.checkpoint(HeadsCheckpoint.self, job: job.id) ?? HeadsCheckpoint(runs: 0, effects: [])
        checkpoint.runs += 1
        if !checkpoint.effects.isEmpty {
            logger.notice("resuming heads job at head \(checkpoint.effects.count + 1) of \(heads.count); finished heads kept",
                          metadata: ["job": "\(job.id)"])
        }
        try await store.saveCheckpoint(checkpoint, job: job.id)
        let total = heads.count + 1
        let passes = 2 * p.samples
        if checkpoint.baseline == nil {
            progress(JobProgress(completed: 0, total: total, message: "baseline: \(passes) samples, measuring the cost of one pass"))
            let started = Date()
            let measures = try await measureAll(prepared, probe: probe, transformer: transformer, cancellation: cancellation)
            guard let measures else { return .cancelled }
            checkpoint.baselineSeconds = Date().timeIntervalSince(started)
            checkpoint.baseline = zip(prepared.joined(), measures).enumerated().map { n, pair in
                HeadReportContent.BaselineSample(length: n / p.samples, index: pair.0.sample.index, promptTokens: pair.1.promptTokens,
                                                 answer: pair.0.sample.answer, output: pair.1.output, loss: pair.1.loss,
                                                 correct: pair.1.correct)
            }
            try await store.saveCheckpoint(checkpoint, job: job.id)
        }
        guard let baseline = checkpoint.baseline, baseline.count == passes else {
            return .failed("the checkpoint's baseline does not match the request; delete the job and start again")
        }
        let perHead = max(checkpoint.baselineSeconds ?? 0, 1e-6)
        let left = Double(heads.count - checkpoint.effects.count) * perHead
        let cost = String(format: "cost: %d heads × %d samples × %.2f s per sample ≈ %@ (measured on the baseline)",
                          heads.count, passes, perHead / Double(passes), Self.duration(Double(heads.count) * perHead))
        logger.notice("heads job \(job.id): \(cost)")
        progress(JobProgress(completed: 1 + checkpoint.effects.count, total: total, message: cost, etaSeconds: left))
        if let limit = p.maxSeconds, left > limit {
            return .failed(cost + String(format: "; that is more than max_seconds %.0f: use fewer samples, shorter lengths or fewer layers", limit))
        }
        let summaries = Self.lengthSummaries(p, baseline)
        let run = checkpoint.runs, started = Date(), firstDone = checkpoint.effects.count
        while checkpoint.effects.count < heads.count {
            if cancellation.isCancelled { return .cancelled }
            let (layer, head) = heads[checkpoint.effects.count]
            let scaled: TransformerModel
            do {
                scaled = try transformer.applying(Self.zeroing(layer: layer, head: head, in: base, headDimension: c.headDimension),
                                                  mode: .folded)
            } catch {
                throw ServiceError.unprocessable(error.description)
            }
            guard let measures = try await measureAll(prepared, probe: probe, transformer: scaled, cancellation: cancellation) else {
                return .cancelled
            }
            let effect = Self.effect(layer: layer, head: head, measures: measures, samples: p.samples, baseline: summaries, run: run)
            checkpoint.effects.append(effect)
            try await store.saveCheckpoint(checkpoint, job: job.id)
            let done = checkpoint.effects.count - firstDone
            let eta = Date().timeIntervalSince(started) / Double(done) * Double(heads.count - checkpoint.effects.count)
            progress(JobProgress(completed: 1 + checkpoint.effects.count, total: total,
                                 message: String(format: "layer %d head %d: loss %+.3f / %+.3f, accuracy %+.0f / %+.0f points",
                                                 layer, head, effect.lossChange[0], effect.lossChange[1],
                                                 effect.accuracyChange[0] * 100, effect.accuracyChange[1] * 100),
                                 etaSeconds: eta))
        }
        let report = HeadReportContent(task: p.task, taskVersion: plugins.version(of: p.task), parameters: p, plan: plan,
                                       layerCount: c.layerCount, headCount: c.headCount, lengths: summaries,
                                       baseline: baseline, effects: checkpoint.effects, secondsPerHead: perHead)
        return try await saveHeadReport(job, report)
    }

    private func measureAll(_ prepared: [[AnswerProbe.Prepared]], probe: AnswerProbe, transformer: TransformerModel,
                            cancellation: CancellationFlag) async throws -> [AnswerProbe.Measure]? {
        var measures: [AnswerProbe.Measure] = []
        for sample in prepared.joined() {
            if cancellation.isCancelled { return nil }
            measures.append(try await Compute.run(name: "seal-job") { try probe.measure(sample, transformer: transformer) })
        }
        return measures
    }

    static func lengthSummaries(_ p: HeadsJobParameters, _ baseline: [HeadReportContent.BaselineSample])
        -> [HeadReportContent.LengthSummary]
    {
        p.lengths.enumerated().map { li, length in
            let mine = baseline.filter { $0.length == li }
            let count = max(1, mine.count)
            return HeadReportContent.LengthSummary(
                length: length, meanPromptTokens: mine.map(\.promptTokens).reduce(0, +) / count,
                loss: mine.map(\.loss).reduce(0, +) / Double(count),
                accuracy: Accuracy(correct: mine.filter(\.correct).count, total: mine.count))
        }
    }

    /// One head's effect from its measures (length-major, `samples` per length).
    static func effect(layer: Int, head: Int, measures: [AnswerProbe.Measure], samples: Int,
                       baseline: [HeadReportContent.LengthSummary], run: Int) -> HeadReportContent.HeadEffect {
        let perLength = baseline.indices.map { li in Array(measures.dropFirst(li * samples).prefix(samples)) }
        let loss = perLength.map { $0.map(\.loss).reduce(0, +) / Double(max(1, $0.count)) }
        let accuracy = perLength.map { Accuracy(correct: $0.filter(\.correct).count, total: $0.count) }
        return HeadReportContent.HeadEffect(
            layer: layer, head: head, loss: loss, lossChange: zip(loss, baseline).map { $0 - $1.loss }, accuracy: accuracy,
            accuracyChange: zip(accuracy, baseline).map { $0.accuracy - $1.accuracy.accuracy }, run: run)
    }

    private func saveHeadReport(_ job: Job, _ report: HeadReportContent) async throws -> JobOutcome {
        let ranked = report.effects.sorted { $0.lossChange.reduce(0, +) > $1.lossChange.reduce(0, +) }
        var facts: [String: JSONValue] = ["task": .string(report.task), "heads": .number(Double(report.effects.count)),
                                          "lengths": .array(report.lengths.map { .number(Double($0.length)) }),
                                          "samples": .number(Double(report.parameters.samples)), "job": .string(job.id)]
        if let top = ranked.first { facts["most_helpful"] = .string("L\(top.layer).H\(top.head)") }
        if let bottom = ranked.last { facts["most_harmful"] = .string("L\(bottom.layer).H\(bottom.head)") }
        if let scaleSet = report.parameters.scaleSet { facts["scale_set"] = .string(scaleSet) }
        if let plan = report.plan { facts["plan"] = .string(plan) }
        let artifact = try await store.saveArtifact(kind: .headReport, name: job.name ?? "heads-\(report.task)", content: report,
                                                    summary: facts)
        let base = report.lengths.map { String(format: "%d tokens: loss %.3f, accuracy %.0f%%", $0.length, $0.loss, $0.accuracy.accuracy * 100) }
        var summary = "\(report.effects.count) heads; baseline " + base.joined(separator: ", ")
        if let top = ranked.first, let bottom = ranked.last {
            summary += String(format: "; most helpful L%d.H%d (loss %+.3f / %+.3f), most harmful L%d.H%d (%+.3f / %+.3f)",
                              top.layer, top.head, top.lossChange[0], top.lossChange[1],
                              bottom.layer, bottom.head, bottom.lossChange[0], bottom.lossChange[1])
        }
        return .succeeded(artifacts: [artifact.id], summary: "\(summary) → \(artifact.id)")
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 90 ? String(format: "%.0f s", seconds)
            : seconds < 5400 ? String(format: "%.0f min", seconds / 60) : String(format: "%.1f h", seconds / 3600)
    }
}
