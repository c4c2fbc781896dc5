import ArgumentParser
import Foundation
import SealModel
import SealTuning

/// Whether the head-wise (SEAL-H) and channel-wise (SEAL-C) scale gradients of a task carry a
/// signal that generalises, measured directly instead of through a whole tuning run.
///
/// From the gradients at identity scales of `--samples` training samples (a seald dataset
/// artifact), it reports how consistent each parameter's gradient is across samples (the
/// t-statistic of its mean) and how much a head's channels agree in sign; then it takes the
/// step AdamW's first updates take from those gradients (every parameter moved by the learning
/// rate against the sign of its mean gradient) and measures the answer loss of held-out samples
/// before and after. A strategy whose step lowers the held-out loss has a direction to learn;
/// one whose step does not cannot be rescued by tuning longer.
struct ScaleGradients: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale-gradients",
        abstract: "SEAL-H vs SEAL-C: gradient consistency across samples and the held-out loss after one sign step.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "A seald dataset artifact (JSON) whose samples give the gradients.")
    var dataset: String

    @Option(name: .long, help: "A seald dataset artifact (JSON) whose samples measure the held-out loss.")
    var heldOut: String

    @Option(name: .long, help: "Training samples whose gradients are averaged.")
    var samples = 8

    @Option(name: .long, help: "Held-out samples the loss is measured on.")
    var heldOutSamples = 8

    @Option(name: .long, parsing: .upToNextOption, help: "Sign-step sizes tried for SEAL-H.")
    var headSteps: [Double] = [0.1, 0.3]

    @Option(name: .long, parsing: .upToNextOption, help: "Sign-step sizes tried for SEAL-C.")
    var channelSteps: [Double] = [0.1]

    func run() throws {
        guard (1...256).contains(samples), (1...256).contains(heldOutSamples) else {
            throw ValidationError("--samples and --held-out-samples must be in 1...256")
        }
        for step in headSteps + channelSteps where !(step.isFinite && step > 0 && step < 1) {
            throw ValidationError("step sizes must be in (0, 1), got \(step)")
        }
        let model = try modelOptions.load()
        let c = model.configuration
        let training = try Self.samples(at: dataset, count: samples, model: model)
        let heldOutSet = try Self.samples(at: heldOut, count: heldOutSamples, model: model)
        let capacity = (training + heldOutSet).map(\.tokens.count).max() ?? 2
        let engine = try ScaleGradientEngine(model: model.transformer, capacity: capacity)
        var perSample: [[Double]] = []
        for (index, sample) in training.enumerated() {
            let result = try engine.lossAndGradient(for: sample, scales: .identity(for: c))
            perSample.append(result.perChannel.flatMap { $0.map(Double.init) })
            printError("gradient \(index + 1)/\(training.count): answer loss \(String(format: "%.4f", result.loss))")
        }
        let statistics = try GradientStatistics(perSample: perSample, headDimension: c.headDimension)
        print(statistics.table)

        let loss = ForwardAnswerLoss(model: model.transformer)
        func heldOutLosses(_ scales: HeadScales) throws -> [Double] {
            try heldOutSet.map { try loss.loss(for: $0, scales: scales) }
        }
        let base = try heldOutLosses(.identity(for: c))
        print(String(format: "held-out answer loss (%d samples): base %.4f", base.count, base.reduce(0, +) / Double(base.count)))
        let width = c.headCount * c.headDimension
        let trials = headSteps.map { ("SEAL-H", $0, statistics.headMeans.flatMap { Array(repeating: $0, count: c.headDimension) }) }
            + channelSteps.map { ("SEAL-C", $0, statistics.channelMeans) }
        for (label, step, means) in trials {
            let flat = means.map { 1 - step * ($0 > 0 ? 1 : $0 < 0 ? -1 : 0) }
            let scales = HeadScales(layers: (0..<c.layerCount).map { l in flat[(l * width)..<((l + 1) * width)].map(Float.init) })
            let tuned = try heldOutLosses(scales)
            let better = zip(tuned, base).filter { $0 < $1 }.count
            print(String(format: "%@ sign step %.2f: held-out answer loss %.4f (%d of %d samples lower)",
                         label, step, tuned.reduce(0, +) / Double(tuned.count), better, tuned.count))
        }
    }

    /// The first `count` samples of a dataset artifact, built as a primed tuning job builds them.
    static func samples(at path: String, count: Int, model: LanguageModel) throws -> [TuningSample] {
        struct Artifact: Decodable {
            struct Sample: Decodable { let prompt: String; let answer: String; let label: String; let answer_prefix: String? }
            let samples: [Sample]
        }
        let artifact = try JSONDecoder().decode(Artifact.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        guard artifact.samples.count >= count else {
            throw ValidationError("\(path) holds \(artifact.samples.count) samples, \(count) asked for")
        }
        return try artifact.samples.prefix(count).map {
            try TuningSample(prompt: $0.prompt, answer: $0.answer, label: $0.label, answerPrefix: $0.answer_prefix,
                             primed: true, model: model)
        }
    }
}
