import ArgumentParser
import Foundation
import SealAPI
import SealClient

/// `sealctl heads`: which attention heads retrieval depends on (zero each one, measure).
struct HeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Head analysis: zero each attention head in turn and measure the task's answer loss and accuracy.",
        subcommands: [Run.self, Show.self, List.self],
        defaultSubcommand: List.self)

    /// How `run --wait` and `show` print and draw a report.
    struct ReportOptions: ParsableArguments {
        @Option(help: ArgumentHelp("How many of the most helpful and most harmful heads to list.", valueName: "n"))
        var top: Int = 10

        @Option(name: .customLong("rank-by"), help: ArgumentHelp("Rank heads by the loss change at: mean, short or long.", valueName: "which"))
        var rankBy: String = "mean"

        @Option(help: ArgumentHelp("Write a layer × head heatmap of the loss change (at --heatmap-length) here.", valueName: "file.svg"))
        var heatmap: String?

        @Option(name: .customLong("heatmap-length"), help: ArgumentHelp("Which length the heatmap shows: short or long.", valueName: "which"))
        var heatmapLength: String = "long"

        @Option(help: ArgumentHelp("Write the quadrant scatter (short vs long loss change) here.", valueName: "file.svg"))
        var scatter: String?

        func validate() throws {
            guard (0...10_000).contains(top) else { throw ValidationError("--top must be between 0 and 10000") }
            guard HeadsView.Ranking(rawValue: rankBy) != nil else { throw ValidationError("--rank-by must be mean, short or long") }
            guard ["short", "long"].contains(heatmapLength) else { throw ValidationError("--heatmap-length must be short or long") }
        }

        func present(_ report: HeadReportContent, id: String) throws {
            out(HeadsView.text(report, top: top, by: HeadsView.Ranking(rawValue: rankBy) ?? .mean))
            out("report \(id)")
            if let heatmap {
                try HeadsView.heatmap(report, length: heatmapLength == "short" ? 0 : 1).write(to: heatmap)
                Terminal.standardError.line("wrote \(heatmap)")
            }
            if let scatter {
                try HeadsView.scatter(report).write(to: scatter)
                Terminal.standardError.line("wrote \(scatter)")
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Start a head-analysis job.",
            discussion: """
                Makes --samples task samples at each of the two --lengths, measures them once with the model \
                unchanged (the baseline, which also prices the run: the job's progress shows heads × samples × \
                seconds per sample), then once per head with that head's output zeroed. Each head is \
                checkpointed, so a restart continues where it stopped. Prints the job id, or with --wait \
                follows the job and prints the most helpful and most harmful heads.

                Example: sealctl heads run --task lines --lengths 500,1500 --samples 2 --max-seconds 3600 --wait
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Task plugin that makes the samples (lines, passkey, kv, niah).", valueName: "plugin"))
        var task: String

        @Option(help: ArgumentHelp("The two context lengths in tokens, shorter first.", valueName: "short,long"))
        var lengths: String

        @Option(help: ArgumentHelp("Samples per length (the sample budget).", valueName: "n"))
        var samples: Int = 2

        @Option(help: ArgumentHelp("Random seed.", valueName: "n"))
        var seed: UInt64?

        @Option(name: .customLong("param"), help: ArgumentHelp("A parameter of the task plugin (repeatable).", valueName: "k=v"))
        var parameters: [String] = []

        @Flag(name: .customLong("no-prime-answer"), help: "Do not start the assistant's answer with the task's prefix.")
        var noPrimeAnswer = false

        @Option(help: ArgumentHelp("Only zero the heads of these layers.", valueName: "l,l,..."))
        var layers: String?

        @Option(name: .customLong("max-seconds"), help: ArgumentHelp("Stop before the heads if the measured cost is higher.", valueName: "s"))
        var maxSeconds: Double?

        @OptionGroup var model: EvalModelOptions

        @Option(help: ArgumentHelp("A name for the job.", valueName: "name"))
        var name: String?

        @Flag(help: "Follow the job and print the report.")
        var wait = false

        @OptionGroup var report: ReportOptions

        func validate() throws {
            guard samples > 0 else { throw ValidationError("--samples must be positive") }
            guard try EvalCommand.Grid.list(lengths, option: "--lengths", as: Int.self).count == 2 else {
                throw ValidationError("--lengths takes two lengths, shorter first")
            }
            if let layers { _ = try EvalCommand.Grid.list(layers, option: "--layers", as: Int.self) }
            if let maxSeconds, !(maxSeconds.isFinite && maxSeconds > 0) { throw ValidationError("--max-seconds must be positive") }
            _ = try Parameters.parse(parameters, option: "--param")
        }

        func run() async throws {
            let extra = try Parameters.parse(parameters, option: "--param")
            let heads = HeadsJobParameters(
                task: task, lengths: try EvalCommand.Grid.list(lengths, option: "--lengths", as: Int.self), samples: samples,
                seed: seed, parameters: extra.isEmpty ? nil : extra, primeAnswer: noPrimeAnswer ? false : nil,
                scaleSet: model.scaleSet, contextExtension: try model.contextExtension(), maxTokens: model.maxTokens,
                layers: try layers.map { try EvalCommand.Grid.list($0, option: "--layers", as: Int.self) }, maxSeconds: maxSeconds)
            let request = CreateJobRequest(kind: .heads, name: name, heads: heads)
            guard let job = try await JobStarter.start(request, wait: wait, global: global), !global.json else { return }
            guard let id = job.artifacts.first else { return }
            try report.present(try await HeadsView.fetch(id, global: global), id: id)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a head report: baseline, most helpful and most harmful heads, optional heatmap and scatter.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Head report id (or the id of the heads job that made it).")
        var id: String

        @OptionGroup var report: ReportOptions

        func run() async throws {
            var reportID = id
            if id.hasPrefix("job-") {
                let job = try await global.client.call(Endpoints.job(id))
                guard job.kind == .heads, let artifact = job.artifacts.first else {
                    throw SealctlError.notFound("job \(id) is a \(job.kind.rawValue) job in state \(job.state.rawValue) with no head report")
                }
                reportID = artifact
            }
            if global.json { return printJSON(try await global.client.data(Endpoints.artifactContent(reportID, as: JSONValue.self))) }
            try report.present(try await HeadsView.fetch(reportID, global: global), id: reportID)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List head reports.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Artifacts.list(.headReport, global: global, empty: "no head reports (run one with `sealctl heads run`)")
        }
    }
}
