import ArgumentParser
import Foundation
import SealGeneration
import SealModel
import SealTokenizer

/// `seal-run perplexity FILE`: the model's perplexity on a text, chunked and scored as
/// llama.cpp's `perplexity` tool does (see ``PerplexityRun``), so the figures compare.
struct Perplexity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Perplexity of the model on a text file (llama.cpp's method: chunks of --context tokens, second halves scored).")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "UTF-8 text file, e.g. /usr/share/common-licenses/GPL-3.")
    var file: String

    @Option(name: [.short, .long], help: "Tokens per chunk; the second half of each is scored.")
    var context = 512

    @Option(name: .long, help: "Score at most this many chunks (default: every whole chunk).")
    var chunks: Int?

    @OptionGroup var extensionOptions: ExtensionOptions

    @Flag(name: .long, help: "Plain RoPE with the window lifted to --context: what the model does past its window without a method.")
    var liftWindow = false

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    /// Texts larger than this are refused rather than tokenized whole.
    static let maximumFileBytes = 64 << 20

    func run() throws {
        let text = try Self.readText(file)
        let model = try modelOptions.load()
        let tokens = model.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: false)
        let positions = try positionEncoding()
        var run = try PerplexityRun(model: model, tokens: tokens,
                                    configuration: .init(context: context, maximumChunks: chunks,
                                                         keyValueCache: modelOptions.kvCache, positionEncoding: positions))
        printError("\(tokens.count) tokens; scoring \(run.chunkCount) chunks of \(context) tokens (\(context - 1 - context / 2) scored each)")
        let started = Date()
        var estimate = run.estimate
        var running: [String] = []
        while !run.isFinished {
            estimate = try run.scoreNextChunk()
            running.append(String(format: "[%d]%.4f", estimate.chunks, estimate.perplexity))
            let elapsed = Date().timeIntervalSince(started)
            let eta = elapsed / Double(estimate.chunks) * Double(run.chunkCount - estimate.chunks)
            printError(Self.progressLine(done: estimate.chunks, total: run.chunkCount, estimate: estimate, eta: eta))
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(Report(file: file, context: context, seconds: seconds,
                                                                                weights: modelOptions.weights.rawValue,
                                                                                kvCache: modelOptions.kvCache.rawValue,
                                                                                positions: positions.name, estimate: estimate)), as: UTF8.self))
        } else {
            print(running.joined(separator: ","))
            let error = estimate.standardError.map { String(format: " +/- %.5f", $0) } ?? ""
            print(String(format: "Final estimate: PPL = %.4f%@ (%d chunks, %d scored tokens, %.1f s; weights %@, KV cache %@, positions %@)",
                         estimate.perplexity, error, estimate.chunks, estimate.scoredTokens, seconds,
                         modelOptions.weights.rawValue, modelOptions.kvCache.rawValue, positions.name))
        }
    }

    struct Report: Codable {
        var file: String
        var context: Int
        var seconds: Double
        var weights: String
        var kvCache: String
        var positions: String
        var estimate: PerplexityRun.Estimate
    }

    /// Plain RoPE, a plugin's plan, or plain RoPE past the window (`--lift-window`).
    func positionEncoding() throws -> any PositionEncoding {
        let plugin = try extensionOptions.encoding(length: context)
        switch (plugin, liftWindow) {
        case (.some, true):
            throw ValidationError("--extension and --lift-window exclude each other")
        case (.some(let encoding), false):
            return encoding
        case (nil, true):
            return ExtensionBenchmark.LiftedRoPE(length: context)
        case (nil, false):
            return StandardRoPE()
        }
    }

    static func readText(_ path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
        guard values.isRegularFile == true else { throw ValidationError("\(path) is not a regular file") }
        guard let size = values.fileSize, size <= maximumFileBytes else {
            throw ValidationError("\(path) is larger than \(maximumFileBytes >> 20) MiB; cut it or use --chunks on a smaller file")
        }
        guard let text = String(data: try Data(contentsOf: url), encoding: .utf8) else {
            throw ValidationError("\(path) is not UTF-8 text")
        }
        return text
    }

    /// A progress bar line, `[#####.....] 5/18  PPL 12.3456 +/- 0.4  ETA 12 s`.
    static func progressLine(done: Int, total: Int, estimate: PerplexityRun.Estimate, eta: Double) -> String {
        let width = 24
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let error = estimate.standardError.map { String(format: " +/- %.4f", $0) } ?? ""
        return String(format: "[%@] %d/%d  PPL %.4f%@  ETA %.0f s", bar, done, total, estimate.perplexity, error, eta)
    }
}
