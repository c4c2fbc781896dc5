import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, load and unload models.",
        subcommands: [List.self, Load.self, Unload.self],
        defaultSubcommand: List.self)

    /// `SmolLM2-135M (llama, 135M params, context 2048)`.
    static func describe(_ model: ModelInfo) -> String {
        var facts: [String] = []
        if let architecture = model.architecture { facts.append(architecture) }
        if let parameters = model.parameters { facts.append("\(Format.count(parameters)) params") }
        if let context = model.contextLength ?? model.trainedContextLength { facts.append("context \(context)") }
        return facts.isEmpty ? model.name : "\(model.name) (\(facts.joined(separator: ", ")))"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the models the daemon knows of.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let models = try await global.fetch(Endpoints.models) else { return }
            var table = Table("NAME", "LOADED", "ARCH", "PARAMS", "CONTEXT", "PATH",
                              alignments: [.left, .left, .left, .right, .right, .left])
            for model in models {
                let context = model.contextLength ?? model.trainedContextLength
                table.add(model.name, model.loaded ? "yes" : "no", model.architecture ?? "-",
                          model.parameters.map(Format.count) ?? "-", context.map(String.init) ?? "-", model.path)
            }
            table.print(empty: "no models found")
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Load a model (replacing the loaded one).",
            discussion: "PATH is a GGUF file or a Hugging Face directory on the daemon's machine; "
                + "without it the daemon loads its configured model.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "GGUF file or Hugging Face directory.", completion: .file())
        var path: String?

        @Option(name: .long, help: ArgumentHelp("Context window in tokens (default: the model's trained length).", valueName: "n"))
        var context: Int?

        func validate() throws {
            if let context, context <= 0 { throw ValidationError("--context must be positive") }
        }

        func run() async throws {
            // The daemon resolves paths from its own directory: a relative path to a file that
            // exists here is made absolute so that it means what the user sees.
            let absolute = path.map { path in
                guard !path.hasPrefix("/"), FileManager.default.fileExists(atPath: path) else { return path }
                return FileManager.default.currentDirectoryPath + "/" + path
            }
            guard let model = try await global.fetch(Endpoints.loadModel(LoadModelRequest(path: absolute, contextLength: context)))
            else { return }
            out("loaded \(ModelsCommand.describe(model))")
        }
    }

    struct Unload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unload", abstract: "Unload the model to free its memory.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let model = try await global.fetch(Endpoints.unloadModel) else { return }
            out("unloaded \(model.name)")
        }
    }
}
