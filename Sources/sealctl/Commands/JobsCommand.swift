import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List, inspect, follow and cancel long-running jobs.",
        subcommands: [List.self, Show.self, Follow.self, Cancel.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let jobs = try await global.fetch(Endpoints.jobs) else { return }
            var table = Table("ID", "KIND", "STATE", "PROGRESS", "CREATED", "SUMMARY")
            for job in jobs.sorted(by: { $0.createdAt > $1.createdAt }) {
                table.add(job.id, job.kind.rawValue, job.state.rawValue, "\(job.progress.completed)/\(job.progress.total)",
                          Format.relative(job.createdAt), job.error ?? job.summary ?? job.name ?? "")
            }
            table.print(empty: "no jobs")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a job.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Job id.")
        var id: String

        func run() async throws {
            guard let job = try await global.fetch(Endpoints.job(id)) else { return }
            JobsCommand.printDetails(job)
        }
    }

    struct Follow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow",
            abstract: "Show a job's progress until it finishes.",
            discussion: "Exits 0 when the job succeeds, 70 when it fails, 75 when it is cancelled. "
                + "Ctrl-C stops following; the job keeps running. With --json, prints each state as one JSON line.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Job id.")
        var id: String

        func run() async throws {
            _ = try await JobFollower.follow(id, global: global)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a queued or running job.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Job id.")
        var id: String

        func run() async throws {
            guard let job = try await global.fetch(Endpoints.cancelJob(id)) else { return }
            out("job \(job.id): \(job.state.rawValue)")
        }
    }

    static func printDetails(_ job: Job) {
        var details = Details()
        details.add("id", job.id)
        details.add("kind", job.kind.rawValue)
        details.add("name", job.name)
        details.add("state", job.state.rawValue)
        details.add("progress", "\(job.progress.completed)/\(job.progress.total)" + (job.progress.message.isEmpty ? "" : "  \(job.progress.message)"))
        details.add("created", "\(Format.relative(job.createdAt)) (\(job.createdAt.formatted(.iso8601)))")
        details.add("started", job.startedAt.map { Format.relative($0) })
        details.add("finished", job.finishedAt.map { Format.relative($0) })
        details.add("took", duration(job).map(Format.duration))
        details.add("summary", job.summary)
        details.add("error", job.error)
        details.add("artifacts", job.artifacts.isEmpty ? nil : job.artifacts.joined(separator: ", "))
        if let dataset = job.request.dataset {
            var parameters = "task=\(dataset.task) samples=\(dataset.samples) tokens=\(dataset.targetTokens)"
            if let seed = dataset.seed { parameters += " seed=\(seed)" }
            if let extra = dataset.parameters, !extra.isEmpty { parameters += " " + Format.summary(extra) }
            details.add("request", parameters)
        }
        if let eval = job.request.eval {
            var parameters = "dataset=\(eval.dataset)"
            if let scaleSet = eval.scaleSet { parameters += " scale-set=\(scaleSet)" }
            if let choice = eval.contextExtension {
                parameters += " extension=\(choice.plugin)" + (choice.parameters.isEmpty ? "" : " " + Format.summary(choice.parameters))
            }
            if let maxTokens = eval.maxTokens { parameters += " max-tokens=\(maxTokens)" }
            details.add("request", parameters)
        }
        if let grid = job.request.grid {
            var parameters = "task=\(grid.task) lengths=\(grid.lengths.map(String.init).joined(separator: ","))"
                + " depths=\(grid.depths.map(GridView.depthLabel).joined(separator: ",")) samples-per-cell=\(grid.samplesPerCell)"
            if let scaleSet = grid.scaleSet { parameters += " scale-set=\(scaleSet)" }
            if let choice = grid.contextExtension { parameters += " extension=\(choice.plugin)" }
            details.add("request", parameters)
        }
        if let tune = job.request.tune {
            var parameters = tune.dataset.map { "dataset=\($0)" } ?? "task=\(tune.task ?? "?") samples=\(tune.samples ?? TuneJobParameters.defaultSamples) tokens=\(tune.targetTokens ?? 0)"
            parameters += " strategy=\(tune.strategy ?? "headwise")"
            if let rate = tune.learningRate { parameters += " lr=\(rate)" }
            if let seed = tune.seed { parameters += " seed=\(seed)" }
            if let choice = tune.contextExtension {
                parameters += " extension=\(choice.plugin)" + (choice.parameters.isEmpty ? "" : " " + Format.summary(choice.parameters))
            }
            details.add("request", parameters)
        }
        details.print()
    }

    static func duration(_ job: Job) -> Double? {
        guard let started = job.startedAt, let finished = job.finishedAt else { return nil }
        return finished.timeIntervalSince(started)
    }
}

/// Follows a job's events to its end: a progress bar for people, one JSON line per state
/// with `--json`.
enum JobFollower {
    /// The finished job when it succeeded; `SealctlError.jobFailed`/`.jobCancelled` otherwise.
    static func follow(_ id: String, global: GlobalOptions) async throws -> Job {
        var view = ProgressView()
        var last: Job?
        do {
            // The daemon ends a response after limits.request_timeout_seconds, also an event
            // stream: a long job (tuning) outlives it, so follow again from the current record.
            var reconnects = 0
            while true {
                do {
                    for try await job in global.client.jobEvents(id) {
                        last = job
                        if global.json { printJSONLine(job) } else { view.update(job) }
                    }
                    break
                } catch let error as ClientError {
                    guard case .protocolError = error, let job = last, !job.state.isFinished, reconnects < 1000 else { throw error }
                    reconnects += 1
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            // A cancelled consumer's stream just ends: turn that into the cancellation it is.
            try Task.checkCancellation()
        } catch {
            view.finish()
            if error is CancellationError {
                warn("stopped following; job \(id) keeps running (`sealctl jobs cancel \(id)` stops it)")
            }
            throw error
        }
        view.finish()
        guard let job = last else { throw ClientError.protocolError("the job stream ended without the job") }
        if !global.json {
            var line = "job \(job.id) \(job.state.rawValue)"
            if let took = JobsCommand.duration(job) { line += " in \(Format.duration(took))" }
            if let summary = job.summary { line += ": \(summary)" }
            out(line)
            if !job.artifacts.isEmpty { out("artifacts: \(job.artifacts.joined(separator: ", "))") }
        }
        switch job.state {
        case .failed: throw SealctlError.jobFailed(id: job.id, message: job.error ?? "no reason given")
        case .cancelled: throw SealctlError.jobCancelled(id: job.id)
        default: return job
        }
    }
}
