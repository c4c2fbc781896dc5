import ArgumentParser
import SealAPI
import SealClient

struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List, inspect and rescan plugins (tasks, context extensions, scaling strategies).",
        subcommands: [List.self, Show.self, Reload.self],
        defaultSubcommand: List.self)

    static func printList(_ result: PluginListResponse) {
        var table = Table("NAME", "KIND", "VERSION", "ABI", "DESCRIPTION")
        for plugin in result.plugins.sorted(by: { ($0.kind, $0.name) < ($1.kind, $1.name) }) {
            table.add(plugin.name, plugin.kind, plugin.version, plugin.abiVersion, plugin.description)
        }
        table.print(empty: "no plugins loaded")
        reportErrors(result.errors)
    }

    /// Plugins that failed to load, on stderr: the listing still goes to stdout.
    static func reportErrors(_ errors: [PluginListResponse.LoadError]) {
        for error in errors { warn("plugin \(error.path) not loaded: \(error.message)") }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List loaded plugins.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let result = try await global.fetch(Endpoints.plugins) else { return }
            PluginsCommand.printList(result)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a plugin and its parameters.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Plugin name.")
        var name: String

        func run() async throws {
            let result = try await global.client.call(Endpoints.plugins)
            guard let plugin = result.plugins.first(where: { $0.name == name }) else {
                let known = result.plugins.map(\.name).sorted().joined(separator: ", ")
                throw SealctlError.notFound("no plugin named '\(name)' (loaded: \(known))")
            }
            if global.json { return printJSONLine(plugin) }
            var details = Details()
            details.add("name", plugin.name)
            details.add("kind", plugin.kind)
            details.add("version", plugin.version)
            details.add("abi", plugin.abiVersion)
            details.add("path", plugin.path)
            details.add("description", plugin.description)
            details.print()
            guard !plugin.parameters.isEmpty else { return }
            out("")
            var table = Table("PARAMETER", "TYPE", "DEFAULT", "RANGE", "DESCRIPTION")
            for parameter in plugin.parameters {
                let range: String = switch (parameter.minimum, parameter.maximum) {
                case (nil, nil): "-"
                case let (low, high): "\(low.map { Format.value(.number($0)) } ?? "")..\(high.map { Format.value(.number($0)) } ?? "")"
                }
                table.add(parameter.name, parameter.type, parameter.defaultValue.map(Format.value) ?? "-", range, parameter.description)
            }
            table.print(empty: "")
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reload", abstract: "Rescan the plugin directories.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let result = try await global.fetch(Endpoints.reloadPlugins) else { return }
            PluginsCommand.printList(result)
        }
    }
}
