import ArgumentParser
import Foundation
import SealGeneration
import SealModel
import SealTensor
import SealTokenizer

/// Runs the inference core directly, without the daemon: generate, tokenize, benchmark, perplexity.
@main
struct SealRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal-run",
        abstract: "Run a local Llama-family model on the CPU (no daemon needed).",
        subcommands: [Generate.self, Tokenize.self, Benchmark.self, Perplexity.self, ScaleGradients.self],
        defaultSubcommand: Generate.self)
}

/// Options shared by every subcommand that loads a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "GGUF file or Hugging Face directory (default: models/\(ModelLocator.defaultFileName), $SEAL_MODEL).")
    var model: String?

    @Option(name: .long, help: "Compute threads: large products split over them, attention tiles, decode (default: OpenBLAS's own count; OpenBLAS itself runs single-threaded).")
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp(
        "How matrices are held: f32 (the reference), bf16 or q8_0 (smaller and faster to decode, slightly less exact).",
        valueName: "storage"))
    var weights: WeightStorage = .f32

    @Option(name: .long, help: ArgumentHelp(
        "How the KV cache holds keys and values: f32 (the reference) or f16 (half the bytes decode reads at long contexts).",
        valueName: "type"))
    var kvCache: KVCacheStorage = .f32

    func load(chatTemplate: ChatTemplate? = nil, weights storage: WeightStorage? = nil) throws -> LanguageModel {
        if let threads { BLAS.threadCount = threads }
        let url = try model.map { URL(fileURLWithPath: $0) } ?? ModelLocator.defaultModel()
        return try LanguageModel.load(from: url, chatTemplate: chatTemplate, weights: storage ?? weights)
    }
}

extension WeightStorage: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension KVCacheStorage: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Writes to standard error (Swift 6 rejects the C global `stderr`).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
