import ArgumentParser
import SealAPI

/// How to generate: sampling, stop conditions, context extension and scales. Shared by
/// `generate` and `chat`; anything left out uses the daemon's defaults.
struct SamplingOptions: ParsableArguments {
    @Option(name: .customLong("max-tokens"), help: ArgumentHelp("Most new tokens to generate.", valueName: "n"))
    var maxTokens: Int?

    @Option(help: ArgumentHelp("Sampling temperature; 0 is greedy.", valueName: "t"))
    var temperature: Double?

    @Option(name: .customLong("top-k"), help: ArgumentHelp("Sample from the k likeliest tokens.", valueName: "k"))
    var topK: Int?

    @Option(name: .customLong("top-p"), help: ArgumentHelp("Nucleus sampling probability mass.", valueName: "p"))
    var topP: Double?

    @Option(name: .customLong("repeat-penalty"), help: ArgumentHelp("Penalty for repeating recent tokens (1 = none).", valueName: "x"))
    var repeatPenalty: Double?

    @Option(help: ArgumentHelp("Random seed, for reproducible sampling.", valueName: "n"))
    var seed: UInt64?

    @Option(name: .customLong("stop"), help: ArgumentHelp("Stop when this text is generated (repeatable).", valueName: "text"))
    var stop: [String] = []

    @Option(name: .customLong("extension"), help: ArgumentHelp("Context-extension plugin, e.g. linear.", valueName: "plugin"))
    var extensionPlugin: String?

    @Option(name: .customLong("extension-param"), help: ArgumentHelp("A parameter of the extension plugin (repeatable).", valueName: "k=v"))
    var extensionParameters: [String] = []

    @Option(name: .customLong("scale-set"), help: ArgumentHelp("Id of a scale set to apply.", valueName: "id"))
    var scaleSet: String?

    @Option(name: .customLong("context"), help: ArgumentHelp("Context window for this request, in tokens.", valueName: "n"))
    var contextLength: Int?

    func validate() throws {
        if let maxTokens, maxTokens <= 0 { throw ValidationError("--max-tokens must be positive") }
        if let temperature, !(temperature >= 0 && temperature.isFinite) { throw ValidationError("--temperature must be 0 or more") }
        if let topK, topK < 0 { throw ValidationError("--top-k must be 0 or more") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        if let repeatPenalty, !(repeatPenalty > 0 && repeatPenalty.isFinite) { throw ValidationError("--repeat-penalty must be positive") }
        if let contextLength, contextLength <= 0 { throw ValidationError("--context must be positive") }
        if stop.contains("") { throw ValidationError("--stop needs a non-empty text") }
        _ = try Parameters.contextExtension(plugin: extensionPlugin, pairs: extensionParameters)
    }

    func request(prompt: String? = nil, messages: [ChatMessageBody]? = nil) throws -> GenerateRequest {
        GenerateRequest(
            prompt: prompt, messages: messages, maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP,
            repetitionPenalty: repeatPenalty, seed: seed, stop: stop.isEmpty ? nil : stop,
            contextExtension: try Parameters.contextExtension(plugin: extensionPlugin, pairs: extensionParameters),
            scaleSet: scaleSet, contextLength: contextLength)
    }
}
