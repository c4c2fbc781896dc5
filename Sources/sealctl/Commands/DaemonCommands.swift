import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the daemon is doing: model, jobs, memory.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard let status = try await global.fetch(Endpoints.status) else { return }
        var details = Details()
        details.add("daemon", "seald \(status.version), pid \(status.pid), up \(Format.duration(status.uptimeSeconds))")
        details.add("socket", global.socketPath)
        details.add("model", status.model.map(ModelsCommand.describe) ?? "none loaded (sealctl models load PATH)")
        details.add("blas", "\(status.blas.core), \(status.blas.threads) thread\(status.blas.threads == 1 ? "" : "s")")
        details.add("plugins", "\(status.plugins)")
        details.add("generations", "\(status.generations.active) active, \(status.generations.queued) queued")
        details.add("jobs", "\(status.jobs.active) active, \(status.jobs.queued) queued")
        details.add("memory", "\(Format.bytes(status.memory.residentBytes)) resident, \(Format.bytes(status.memory.peakResidentBytes)) peak")
        details.add("state", status.stateDirectory)
        details.print()
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the daemon's effective configuration.",
        discussion: "The configuration file merged with defaults and command-line flags, as JSON.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let data = try await global.client.data(Endpoints.config)
        if global.json { return printJSON(data) }
        // Pretty-printed with sorted keys for people; the raw document is what --json prints.
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object,
                                                       options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else {
            throw ClientError.protocolError("GET /api/config: the body is not valid JSON")
        }
        printJSON(pretty)
    }
}

struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the daemon re-read its configuration and rescan plugins (like SIGHUP).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard let result = try await global.fetch(Endpoints.reload) else { return }
        out("reloaded: \(result.plugins.count) plugin\(result.plugins.count == 1 ? "" : "s") loaded")
        PluginsCommand.reportErrors(result.errors)
    }
}
