import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with the model (interactive, or one message with -m).",
        discussion: """
            Without -m, reads one message per line from standard input and keeps the conversation. \
            In the terminal: /reset starts over, /exit or Ctrl-D quits, Ctrl-C stops the answer and quits. \
            The model's chat template is applied by the daemon.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: [.short, .customLong("message")], help: ArgumentHelp("Send one message, print the answer and exit.", valueName: "text"))
    var message: String?

    @Option(help: ArgumentHelp("A system prompt for the conversation.", valueName: "text"))
    var system: String?

    @OptionGroup(title: "Generation") var sampling: SamplingOptions

    @Flag(name: [.short, .long], help: "Print token counts and speed to standard error after each answer.")
    var verbose = false

    func run() async throws {
        let opening = system.map { [ChatMessageBody(role: "system", content: $0)] } ?? []
        if let message {
            _ = try await answer(opening + [ChatMessageBody(role: "user", content: message)])
            return
        }
        let interactive = Terminal.standardOutput.isTTY && isatty(0) == 1
        if interactive {
            Terminal.standardError.line("Chatting through \(global.socketPath). /reset starts over, /exit or Ctrl-D quits.")
        }
        var conversation = opening
        while true {
            if interactive { Terminal.standardOutput.write("> ") }
            guard let line = try await LineReader.next() else {
                if interactive { Terminal.standardOutput.write("\n") }
                return
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            switch text {
            case "": continue
            case "/exit", "/quit": return
            case "/reset":
                conversation = opening
                if interactive { Terminal.standardError.line("(conversation cleared)") }
                continue
            default: break
            }
            conversation.append(ChatMessageBody(role: "user", content: line))
            do {
                let response = try await answer(conversation)
                conversation.append(ChatMessageBody(role: "assistant", content: response.text))
            } catch let error as ClientError {
                // A refused turn (e.g. the conversation outgrew the context) need not end the
                // session in the terminal: say why, forget the turn, and go on.
                guard interactive, case .server(let status, _, _) = error, (400..<500).contains(status) else { throw error }
                warn(error.description)
                conversation.removeLast()
            }
        }
    }

    private func answer(_ messages: [ChatMessageBody]) async throws -> GenerateResponse {
        let request = try sampling.request(messages: messages)
        return try await GenerationPrinter.stream(global.client.generateStream(request), json: global.json, verbose: verbose)
    }
}
