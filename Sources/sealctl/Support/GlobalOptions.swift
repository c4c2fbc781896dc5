import ArgumentParser
import Foundation
import SealClient

/// Options every command accepts, before or after the subcommand name.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The daemon's socket (default: $SEAL_SOCKET, else \(SealClient.defaultSocketPath)).",
            valueName: "path"),
        completion: .file())
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's raw JSON instead of tables, for scripts.")
    var json = false

    var socketPath: String { socket ?? SealClient.socketPath() }

    var client: SealClient { SealClient(socketPath: socketPath) }
}
