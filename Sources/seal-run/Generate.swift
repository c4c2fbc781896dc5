import ArgumentParser
import Foundation
import SealGeneration
import SealModel
import SealTokenizer

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate text from a prompt, streaming tokens to stdout.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: [.short, .long], help: "Raw completion prompt.")
    var prompt: String?

    @Option(name: .long, help: "A user message, wrapped in the model's chat template.")
    var chat: String?

    @Option(name: .long, help: "System message for --chat.")
    var system: String?

    @Option(name: .long, help: "Chat template override: chatml, llama2, mistral, vicuna, llama3, zephyr.")
    var template: String?

    @Option(name: [.short, .customLong("max-tokens")], help: "Most new tokens.")
    var maxTokens = 128

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), help: "Top-k cut-off; 0 disables.")
    var topK = 40

    @Option(name: .customLong("top-p"), help: "Nucleus cut-off; 1 disables.")
    var topP: Float = 0.95

    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty; 1 disables.")
    var repeatPenalty: Float = 1

    @Option(name: .long, help: "Random seed for reproducible sampling.")
    var seed: UInt64?

    @Option(name: .long, help: "Stop string (repeatable).")
    var stop: [String] = []

    @Option(name: .customLong("context"), help: "Context window in tokens (default: the model's trained length).")
    var contextLength: Int?

    @Flag(name: .long, help: "Print timing statistics to stderr.")
    var verbose = false

    func validate() throws {
        if (prompt == nil) == (chat == nil) { throw ValidationError("give exactly one of --prompt or --chat") }
        if let template, ChatTemplate(name: template) == nil { throw ValidationError("unknown chat template '\(template)'") }
    }

    func run() throws {
        let model = try modelOptions.load(chatTemplate: template.flatMap(ChatTemplate.init(name:)))
        let tokens: [TokenID]
        if let chat {
            var messages: [ChatMessage] = []
            if let system { messages.append(ChatMessage(role: "system", content: system)) }
            messages.append(ChatMessage(role: "user", content: chat))
            tokens = try model.chatPrompt(messages)
        } else {
            tokens = model.completionPrompt(prompt ?? "")
        }
        let session = try InferenceSession(model: model.transformer, capacity: contextLength,
                                           keyValueCache: modelOptions.kvCache)
        let options = GenerationOptions(
            maxTokens: maxTokens,
            sampling: SamplingParameters(temperature: temperature, topK: topK, topP: topP,
                                         repetitionPenalty: repeatPenalty, seed: seed),
            stop: stop)
        if prompt != nil { FileHandle.standardOutput.write(Data((prompt ?? "").utf8)) }
        let result = try Generator(model: model).generate(prompt: tokens, in: session, options: options) { piece in
            FileHandle.standardOutput.write(Data(piece.utf8))
            return true
        }
        print("")
        if verbose {
            printError(String(format: "prompt %d tokens in %.2f s (%.1f tok/s); generated %d tokens at %.1f tok/s; finish: %@",
                              result.promptTokenCount, result.prefillSeconds,
                              Double(result.promptTokenCount) / max(result.prefillSeconds, 1e-9),
                              result.tokens.count, result.decodeTokensPerSecond, result.finishReason.rawValue))
        }
    }
}

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the token ids (and pieces) of a text.")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "Text to tokenize.")
    var text: String

    @Flag(name: .long, help: "Do not add BOS/EOS.")
    var noSpecial = false

    func run() throws {
        let model = try modelOptions.load()
        let ids = model.tokenizer.encode(text, addSpecialTokens: !noSpecial, parseSpecialTokens: true)
        for id in ids {
            print("\(id)\t\(model.tokenizer.decode([id]).debugDescription)")
        }
        printError("\(ids.count) tokens")
    }
}
