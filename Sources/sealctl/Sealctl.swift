import ArgumentParser
import Foundation
import SealClient

/// `sealctl`: the command-line client of seald.
@main
struct Sealctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealctl",
        abstract: "Control seald, the seal language-model daemon.",
        discussion: """
            sealctl talks to seald over its Unix socket (--socket, $SEAL_SOCKET, default \
            \(SealClient.defaultSocketPath)). Output is made for people; add --json for the daemon's \
            raw JSON, for scripts.

            EXIT CODES
              0   success
              64  usage error (bad arguments or option values)
              65  the daemon refused the request (HTTP 4xx: invalid, not found, conflict)
              69  the daemon is unavailable (not running, no socket, connection refused)
              70  server error (HTTP 5xx, a malformed answer) or a followed job failed
              74  a local file could not be read or written
              75  interrupted (Ctrl-C), timed out, or a followed job was cancelled
              77  permission denied on the socket (join the socket's group)

            Shell completions: sealctl --generate-completion-script bash|zsh|fish
            """,
        subcommands: [
            StatusCommand.self, ModelsCommand.self, GenerateCommand.self, ChatCommand.self, TokenizeCommand.self,
            PluginsCommand.self, ExtendCommand.self, DataCommand.self, TuneCommand.self, EvalCommand.self, HeadsCommand.self, PerplexityCommand.self, JobsCommand.self, ScalesCommand.self,
            ConfigCommand.self, ReloadCommand.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    /// ArgumentParser's `main`, run inside a task that Ctrl-C cancels, with the client's errors
    /// mapped to the exit codes above.
    static func main() async {
        // Detached: the command runs off the main actor, parsed where it runs.
        let task = Task.detached {
            var command: any ParsableCommand
            do {
                command = try parseAsRoot()
            } catch {
                exit(withError: error)
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        }
        let interrupts = InterruptHandler { task.cancel() }
        do {
            try await task.value
            interrupts.remove()
        } catch {
            interrupts.remove()
            guard let failure = Failure(error) else { exit(withError: error) }
            failure.report()
            Foundation.exit(failure.exitCode)
        }
    }
}
