import ArgumentParser
import Foundation
import SealAPI
import SealClient

extension EvalCommand {
    /// `sealctl eval grid`: accuracy over context lengths × answer depths.
    struct Grid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grid",
            abstract: "Start a grid evaluation: a task at every context length × answer depth.",
            discussion: """
                Each cell gets fresh samples of the task at that length (in model tokens, chat template counted) \
                with the answer at that depth, answered greedily. Prints the job id, or with --wait follows the \
                job and prints the grid. Finished samples survive a daemon restart.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Task plugin with depth_mode and depth parameters (lines, passkey, kv, niah).", valueName: "plugin"))
        var task: String

        @Option(help: ArgumentHelp("Context lengths in tokens, comma-separated.", valueName: "n,n,..."))
        var lengths: String

        @Option(help: ArgumentHelp("Answer depths in percent, comma-separated.", valueName: "d,d,..."))
        var depths: String = "0,25,50,75,100"

        @Option(help: ArgumentHelp("Samples per cell.", valueName: "n"))
        var samples: Int = 5

        @Option(help: ArgumentHelp("Random seed.", valueName: "n"))
        var seed: UInt64?

        @Option(name: .customLong("param"), help: ArgumentHelp("A parameter of the task plugin (repeatable).", valueName: "k=v"))
        var parameters: [String] = []

        @Flag(help: "Start the assistant's answer with the task's prefix.")
        var primeAnswer = false

        @Flag(help: "Prefill every prompt in full instead of reusing the prefix it shares with the previous one (same answers; to measure the saving).")
        var noPrefixReuse = false

        @OptionGroup var model: EvalModelOptions

        @Option(help: ArgumentHelp("A name for the job.", valueName: "name"))
        var name: String?

        @Option(help: ArgumentHelp("With --wait: also write the heatmap here.", valueName: "file.svg"))
        var svg: String?

        @Flag(help: "Follow the job and print the grid.")
        var wait = false

        func validate() throws {
            guard samples > 0 else { throw ValidationError("--samples must be positive") }
            _ = try Self.list(lengths, option: "--lengths", as: Int.self)
            _ = try Self.list(depths, option: "--depths", as: Double.self)
            _ = try Parameters.parse(parameters, option: "--param")
        }

        static func list<T: LosslessStringConvertible>(_ text: String, option: String, as _: T.Type) throws -> [T] {
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = items.compactMap(T.init)
            guard !items.isEmpty, values.count == items.count else {
                throw ValidationError("\(option) must be a comma-separated list of numbers, got '\(text)'")
            }
            return values
        }

        func run() async throws {
            let extra = try Parameters.parse(parameters, option: "--param")
            let grid = GridJobParameters(
                task: task, lengths: try Self.list(lengths, option: "--lengths", as: Int.self),
                depths: try Self.list(depths, option: "--depths", as: Double.self), samplesPerCell: samples, seed: seed,
                parameters: extra.isEmpty ? nil : extra, primeAnswer: primeAnswer ? true : nil, scaleSet: model.scaleSet,
                contextExtension: try model.contextExtension(), maxTokens: model.maxTokens,
                prefixReuse: noPrefixReuse ? false : nil)
            let request = CreateJobRequest(kind: .grid, name: name, grid: grid)
            guard let job = try await JobStarter.start(request, wait: wait, global: global), !global.json else { return }
            guard let reportID = job.artifacts.first else { return }
            let report = try await global.client.call(Endpoints.artifactContent(reportID, as: GridReportContent.self))
            out(GridView.table(report))
            out("report \(reportID)")
            if let svg { try GridView.writeHeatmap(report, to: svg) }
        }
    }

    /// `sealctl eval diff A B`: how a second grid (tuned, another method) differs from a first.
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare two grid reports cell by cell (second minus first).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The baseline grid report id.")
        var baseline: String

        @Argument(help: "The grid report to compare with it.")
        var other: String

        @Option(help: ArgumentHelp("Write the difference heatmap here.", valueName: "file.svg"))
        var svg: String?

        func run() async throws {
            let first = try await GridView.fetch(baseline, global: global)
            let second = try await GridView.fetch(other, global: global)
            let difference = try GridView.Difference(first, second)
            if global.json { return printJSON(try APIJSON.encode(difference.jsonValues)) }
            out(difference.table())
            if let svg { try difference.writeHeatmap(to: svg) }
        }
    }
}
