import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval accuracy on a dataset, with or without scales and context extension.",
        subcommands: [Run.self, Grid.self, List.self, Show.self, Diff.self],
        defaultSubcommand: List.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Start an evaluation job.",
            discussion: "Prints the job id, or with --wait follows the job and prints the accuracy.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Dataset id.", valueName: "id"))
        var dataset: String

        @OptionGroup var model: EvalModelOptions

        @Option(help: ArgumentHelp("A name for the job.", valueName: "name"))
        var name: String?

        @Flag(help: "Follow the job and print the accuracy.")
        var wait = false

        func run() async throws {
            let parameters = EvalJobParameters(
                dataset: dataset, scaleSet: model.scaleSet, contextExtension: try model.contextExtension(),
                maxTokens: model.maxTokens)
            let request = CreateJobRequest(kind: .eval, name: name, eval: parameters)
            guard let job = try await JobStarter.start(request, wait: wait, global: global), !global.json else { return }
            guard let reportID = job.artifacts.first else { return }
            let report = try await global.client.call(Endpoints.artifactContent(reportID, as: EvalReportContent.self))
            out("accuracy \(Format.percent(report.accuracy)) (\(report.correct)/\(report.total))  report \(reportID)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List evaluation reports.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Artifacts.list(.evalReport, global: global, empty: "no evaluation reports (run one with `sealctl eval run`)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show an evaluation report sample by sample, or a grid report as a table and heatmap.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Report id.")
        var id: String

        @Option(help: ArgumentHelp("For a grid report: write the heatmap here.", valueName: "file.svg"))
        var svg: String?

        func run() async throws {
            if global.json { return printJSON(try await global.client.data(Endpoints.artifactContent(id, as: JSONValue.self))) }
            if try await global.client.call(Endpoints.artifact(id)).kind == .gridReport {
                let report = try await GridView.fetch(id, global: global)
                out(GridView.table(report))
                if let svg { try GridView.writeHeatmap(report, to: svg) }
                return
            }
            let artifact = try await Artifacts.fetch(id, kind: .evalReport, global: global)
            let report = try await global.client.call(Endpoints.artifactContent(id, as: EvalReportContent.self))
            var details = Artifacts.details(artifact)
            details.add("dataset", report.dataset)
            details.add("scale set", report.scaleSet ?? "none")
            details.add("extension", report.contextExtension.map {
                $0.plugin + ($0.parameters.isEmpty ? "" : " " + Format.summary($0.parameters))
            } ?? "none")
            details.add("plan", report.plan)
            details.add("accuracy", "\(Format.percent(report.accuracy)) (\(report.correct)/\(report.total))")
            details.print()
            out("")
            var table = Table("#", "TOKENS", "OK", "SCORE", "ANSWER", "OUTPUT", "REASON",
                              alignments: [.right, .right, .left, .right, .left, .left, .left])
            for result in report.results {
                table.add("\(result.index)", "\(result.promptTokens)", result.correct ? "yes" : "no", String(format: "%.2f", result.score),
                          Format.truncated(result.answer, to: 24), Format.truncated(result.output, to: 48), result.reason ?? "")
            }
            table.print(empty: "no results")
        }
    }
}
