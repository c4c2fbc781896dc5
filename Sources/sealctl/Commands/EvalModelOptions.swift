import ArgumentParser
import SealAPI

/// How an evaluation runs the model: scale set, context extension and answer length, shared
/// by `eval run` and `eval grid` so both spell them the same.
struct EvalModelOptions: ParsableArguments {
    @Option(name: .customLong("scale-set"), help: ArgumentHelp("Scale set to apply (default: the plain model).", valueName: "id"))
    var scaleSet: String?

    @Option(name: .customLong("extension"), help: ArgumentHelp("Context-extension plugin.", valueName: "plugin"))
    var extensionPlugin: String?

    @Option(name: .customLong("extension-param"), help: ArgumentHelp("A parameter of the extension plugin (repeatable).", valueName: "k=v"))
    var extensionParameters: [String] = []

    @Option(name: .customLong("max-tokens"), help: ArgumentHelp("Most new tokens per answer.", valueName: "n"))
    var maxTokens: Int?

    func validate() throws {
        if let maxTokens, maxTokens <= 0 { throw ValidationError("--max-tokens must be positive") }
        _ = try contextExtension()
    }

    func contextExtension() throws -> ContextExtensionChoice? {
        try Parameters.contextExtension(plugin: extensionPlugin, pairs: extensionParameters)
    }
}
