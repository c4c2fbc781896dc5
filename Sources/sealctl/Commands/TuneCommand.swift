import ArgumentParser
import Foundation
import SealAPI
import SealClient

/// `sealctl tune`: learn SEAL scales in the daemon and store them as a scale set.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Learn SEAL attention scales on task samples (a tuning job).",
        discussion: """
            Generates --samples task samples of about --tokens tokens (or takes --dataset), trains the \
            scaling strategy's multipliers with AdamW on the answer loss, and stores a scale set to use \
            with `--scale-set` (generate, chat, eval run) or as model.scale_set in seald.yaml. Defaults \
            are the SEAL paper's: batch 1, one epoch, no weight decay, learning rate 1e-2 head-wise and \
            2e-2 channel-wise. Prints the job id, or with --wait shows the progress (step, loss, tokens/s, \
            ETA) and prints the scale set.

            Example: sealctl tune --task lines --samples 50 --tokens 2000 --strategy headwise \
            --extension self-extend --param group=4 --param window=1024 --wait
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Task plugin that generates the training samples, e.g. lines or passkey.", valueName: "plugin"))
    var task: String?

    @Option(help: ArgumentHelp("Train on an existing dataset instead of generating one.", valueName: "id"))
    var dataset: String?

    @Option(help: ArgumentHelp("Samples to generate (default \(TuneJobParameters.defaultSamples)).", valueName: "n"))
    var samples: Int?

    @Option(help: ArgumentHelp("Prompt length to aim for, in tokens of the loaded model.", valueName: "n"))
    var tokens: Int?

    @Option(name: .customLong("task-param"), help: ArgumentHelp("A parameter of the task plugin (repeatable).", valueName: "k=v"))
    var taskParameters: [String] = []

    @Option(help: ArgumentHelp("Scaling strategy plugin: headwise (SEAL-H) or channelwise (SEAL-C).", valueName: "plugin"))
    var strategy = "headwise"

    @Option(name: .customLong("strategy-param"), help: ArgumentHelp("A parameter of the strategy plugin (repeatable).", valueName: "k=v"))
    var strategyParameters: [String] = []

    @Option(name: .customLong("extension"), help: ArgumentHelp("Context-extension plugin in force while training.", valueName: "plugin"))
    var extensionPlugin: String?

    @Option(name: [.customLong("param"), .customLong("extension-param")],
            help: ArgumentHelp("A parameter of the extension plugin (repeatable).", valueName: "k=v"))
    var extensionParameters: [String] = []

    @Option(help: ArgumentHelp("Seed of the generated samples and the training order.", valueName: "n"))
    var seed: UInt64?

    @Flag(inversion: .prefixedNo,
          help: "Train with the task's answer prefix opening the assistant turn, as `eval` with a primed dataset renders it (default on).")
    var primeAnswer: Bool?

    @Option(name: .customLong("learning-rate"), help: ArgumentHelp("AdamW learning rate (default 1e-2 head-wise, 2e-2 channel-wise).", valueName: "x"))
    var learningRate: Double?

    @Option(help: ArgumentHelp("Passes over the samples (default 1).", valueName: "n"))
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Samples per step (default 1).", valueName: "n"))
    var batchSize: Int?

    @Option(name: .customLong("weight-decay"), help: ArgumentHelp("AdamW weight decay (default 0).", valueName: "x"))
    var weightDecay: Double?

    @Option(help: ArgumentHelp("Weight of an L2 pull of the scales towards 1 (default 0).", valueName: "x"))
    var l2: Double?

    @Option(name: .customLong("clip-norm"), help: ArgumentHelp("Largest gradient norm per step.", valueName: "x"))
    var clipNorm: Double?

    @Option(name: .customLong("validation-fraction"), help: ArgumentHelp("Share of samples held out for a validation loss (0-0.5).", valueName: "x"))
    var validationFraction: Double?

    @Option(help: ArgumentHelp("Stop after this many validations without improvement.", valueName: "n"))
    var patience: Int?

    @Option(name: .customLong("checkpoint-every"), help: ArgumentHelp("Steps between checkpoints (default 2).", valueName: "n"))
    var checkpointEvery: Int?

    @Option(help: ArgumentHelp("A name for the scale set.", valueName: "name"))
    var name: String?

    @Flag(help: "Follow the job and print the scale set.")
    var wait = false

    func validate() throws {
        guard (task == nil) != (dataset == nil) else { throw ValidationError("give --task (to generate samples) or --dataset, not both") }
        if task != nil, tokens == nil { throw ValidationError("--task needs --tokens") }
        if let samples, samples <= 0 { throw ValidationError("--samples must be positive") }
        if let tokens, tokens <= 0 { throw ValidationError("--tokens must be positive") }
        _ = try Parameters.parse(taskParameters, option: "--task-param")
        _ = try Parameters.parse(strategyParameters, option: "--strategy-param")
        _ = try Parameters.contextExtension(plugin: extensionPlugin, pairs: extensionParameters)
    }

    func run() async throws {
        let taskValues = try Parameters.parse(taskParameters, option: "--task-param")
        let strategyValues = try Parameters.parse(strategyParameters, option: "--strategy-param")
        let parameters = TuneJobParameters(
            dataset: dataset, task: task, samples: dataset == nil ? samples ?? TuneJobParameters.defaultSamples : nil, targetTokens: tokens,
            taskParameters: taskValues.isEmpty ? nil : taskValues, seed: seed, primeAnswer: primeAnswer, strategy: strategy,
            strategyParameters: strategyValues.isEmpty ? nil : strategyValues,
            contextExtension: try Parameters.contextExtension(plugin: extensionPlugin, pairs: extensionParameters),
            learningRate: learningRate, epochs: epochs, batchSize: batchSize, weightDecay: weightDecay, l2: l2,
            clipNorm: clipNorm, validationFraction: validationFraction, patience: patience, checkpointEvery: checkpointEvery)
        let request = CreateJobRequest(kind: .tune, name: name, tune: parameters)
        guard let job = try await JobStarter.start(request, wait: wait, global: global), !global.json else { return }
        guard let id = job.artifacts.first else { return }
        let artifact = try await global.client.call(Endpoints.artifact(id))
        out("scale set \(id): \(Format.summary(artifact.summary))")
        out("use it with `sealctl eval run --scale-set \(id)` or `sealctl chat --scale-set \(id)`")
    }
}
