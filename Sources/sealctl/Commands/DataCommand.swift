import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Create and inspect datasets of synthetic task samples.",
        subcommands: [Create.self, List.self, Show.self, Export.self, Delete.self],
        defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Start a job that generates a dataset with a task plugin.",
            discussion: "Prints the job id, or with --wait follows the job and prints the dataset id.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Task plugin, e.g. passkey.", valueName: "plugin"))
        var task: String

        @Option(help: ArgumentHelp("Number of samples.", valueName: "n"))
        var samples: Int

        @Option(help: ArgumentHelp("Prompt length to aim for, in tokens of the loaded model.", valueName: "n"))
        var tokens: Int

        @Option(help: ArgumentHelp("Random seed, for a reproducible dataset.", valueName: "n"))
        var seed: UInt64?

        @Option(name: .customLong("param"), help: ArgumentHelp("A parameter of the task plugin (repeatable).", valueName: "k=v"))
        var parameters: [String] = []

        @Option(help: ArgumentHelp("A name for the dataset.", valueName: "name"))
        var name: String?

        @Flag(help: "Start the assistant's answer with the task's prefix (e.g. \"The pass key is\"), so format failures are not counted as retrieval failures.")
        var primeAnswer = false

        @Option(help: ArgumentHelp("evaluation (default) or training; training data never shares content with evaluation data.", valueName: "purpose"))
        var purpose: String?

        @Flag(help: "Follow the job until the dataset is ready.")
        var wait = false

        func validate() throws {
            guard samples > 0 else { throw ValidationError("--samples must be positive") }
            guard tokens > 0 else { throw ValidationError("--tokens must be positive") }
            if let purpose, !["evaluation", "training"].contains(purpose) {
                throw ValidationError("--purpose must be evaluation or training")
            }
            _ = try Parameters.parse(parameters, option: "--param")
        }

        func run() async throws {
            let extra = try Parameters.parse(parameters, option: "--param")
            let request = CreateJobRequest(
                kind: .dataset, name: name,
                dataset: DatasetJobParameters(task: task, samples: samples, targetTokens: tokens, seed: seed,
                                              parameters: extra.isEmpty ? nil : extra,
                                              primeAnswer: primeAnswer ? true : nil, purpose: purpose))
            try await JobStarter.start(request, wait: wait, global: global)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List datasets.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Artifacts.list(.dataset, global: global, empty: "no datasets (create one with `sealctl data create`)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a dataset and its samples.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Dataset id.")
        var id: String

        func run() async throws {
            if global.json { return printJSON(try await global.client.data(Endpoints.artifact(id))) }
            let artifact = try await Artifacts.fetch(id, kind: .dataset, global: global)
            let content = try await global.client.call(Endpoints.artifactContent(id, as: DatasetContent.self))
            var details = Artifacts.details(artifact)
            details.add("task", "\(content.task) \(content.taskVersion)")
            details.add("seed", "\(content.seed)")
            details.add("target tokens", "\(content.targetTokens)")
            if !content.parameters.isEmpty { details.add("parameters", Format.summary(content.parameters)) }
            details.print()
            out("")
            var table = Table("#", "TOKENS", "ANSWER", "LABEL", alignments: [.right, .right, .left, .left])
            for sample in content.samples {
                table.add("\(sample.index)", "\(sample.promptTokens)", Format.truncated(sample.answer, to: 40), sample.label)
            }
            table.print(empty: "no samples")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a dataset's JSON (prompts included).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ExportOptions

        func run() async throws { try await Artifacts.export(options.id, to: options.output, global: global) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a dataset.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Dataset id.")
        var id: String

        func run() async throws { try await Artifacts.delete(id, global: global) }
    }
}

/// Creates a job and either prints its id or follows it to the end.
enum JobStarter {
    /// The finished job with `wait`, nil without.
    @discardableResult
    static func start(_ request: CreateJobRequest, wait: Bool, global: GlobalOptions) async throws -> Job? {
        let data = try await global.client.data(Endpoints.createJob(request))
        let job = try SealClient.decode(Job.self, from: data, context: "POST /api/jobs")
        guard wait else {
            if global.json { printJSON(data) } else { out("job \(job.id) \(job.state.rawValue) (follow it with `sealctl jobs follow \(job.id)`)") }
            return nil
        }
        if global.json { printJSON(data) } else { out("job \(job.id) \(job.state.rawValue)") }
        return try await JobFollower.follow(job.id, global: global)
    }
}
