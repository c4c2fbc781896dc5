import ArgumentParser
import SealModel

/// The context-extension options `bench` and `perplexity` share: one definition, so both take
/// the same names, the same `k=v` parameters and the same plugin directory.
struct ExtensionOptions: ParsableArguments {
    @Option(name: .customLong("extension"),
            help: ArgumentHelp("Context-extension plugin (bench: compared with plain attention at --length; "
                               + "perplexity: the chunks' positions, so --context may reach its window).",
                               valueName: "plugin"))
    var plugin: String?

    @Option(name: .customLong("extension-param"),
            help: ArgumentHelp("A parameter of the extension plugin (repeatable).", valueName: "k=v"))
    var parameters: [String] = []

    @Option(name: .long, help: "Directory holding the plugin .so files (default: next to seal-run).")
    var pluginDirectory: String?

    func validate() throws {
        if plugin == nil, !parameters.isEmpty { throw ValidationError("--extension-param needs --extension") }
    }

    /// The plugin's position encoding for sequences of `length` tokens, or nil without --extension.
    func encoding(length: Int) throws -> (any PositionEncoding)? {
        guard let plugin else { return nil }
        return try ExtensionBenchmark.encoding(named: plugin, pairs: parameters, directory: pluginDirectory, length: length)
    }
}
