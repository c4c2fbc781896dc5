import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Complete a prompt, printing tokens as they arrive.",
        discussion: """
            The prompt is used as it is (no chat template; see `sealctl chat`). With --json the \
            final result (text, finish reason, usage, timings) is printed as one JSON document. \
            Ctrl-C stops the generation on the daemon at once.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The prompt, or - to read it from standard input.")
    var prompt: String

    @OptionGroup(title: "Generation") var sampling: SamplingOptions

    @Flag(name: .customLong("no-stream"), help: "Wait for the whole answer instead of streaming it.")
    var noStream = false

    @Flag(name: [.short, .long], help: "Print token counts and speed to standard error.")
    var verbose = false

    func run() async throws {
        let text = try readPrompt()
        let request = try sampling.request(prompt: text)
        if noStream {
            guard let response = try await global.fetch(Endpoints.generate(request)) else { return }
            out(response.text)
            if verbose { GenerationPrinter.printStatistics(response) }
            return
        }
        _ = try await GenerationPrinter.stream(global.client.generateStream(request), json: global.json, verbose: verbose)
    }

    private func readPrompt() throws -> String {
        guard prompt == "-" else { return prompt }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else { throw SealctlError.usage("standard input is not UTF-8 text") }
        return text
    }
}

/// Writes a streamed generation as it arrives and returns its final result.
enum GenerationPrinter {
    static func stream(_ events: AsyncThrowingStream<GenerationEvent, any Error>, json: Bool, verbose: Bool) async throws -> GenerateResponse {
        var lastByte: UInt8?
        do {
            for try await event in events {
                switch event {
                case .token(let text):
                    guard !json, !text.isEmpty else { continue }
                    Terminal.standardOutput.write(text)
                    lastByte = text.utf8.last
                case .done(let response):
                    if json {
                        printJSONLine(response)
                    } else if lastByte != nil, lastByte != UInt8(ascii: "\n") {
                        Terminal.standardOutput.write("\n")
                    }
                    if verbose { printStatistics(response) }
                    return response
                }
            }
        } catch {
            // Keep the shell prompt off the half-written line.
            if lastByte != nil, lastByte != UInt8(ascii: "\n") { Terminal.standardOutput.write("\n") }
            throw error
        }
        // A cancelled consumer's stream just ends; only an uncancelled one is missing its result.
        if lastByte != nil, lastByte != UInt8(ascii: "\n") { Terminal.standardOutput.write("\n") }
        try Task.checkCancellation()
        throw ClientError.protocolError("the generation stream ended without a result")
    }

    /// `[stop · 12 prompt + 40 new tokens · prefill 812.3 tok/s · decode 31.0 tok/s]` on stderr.
    static func printStatistics(_ response: GenerateResponse) {
        var parts = [response.finishReason, "\(response.usage.promptTokens) prompt + \(response.usage.completionTokens) new tokens"]
        parts.append(String(format: "prefill %.1f tok/s", response.timings.prefillTokensPerSecond))
        parts.append(String(format: "decode %.1f tok/s", response.timings.decodeTokensPerSecond))
        if response.timings.queueSeconds >= 0.05 { parts.append(String(format: "queued %.1fs", response.timings.queueSeconds)) }
        if let scaleSet = response.scaleSet { parts.append("scale set \(scaleSet)") }
        if let contextExtension = response.contextExtension { parts.append("extension \(contextExtension)") }
        Terminal.standardError.line("[" + parts.joined(separator: " · ") + "]")
    }
}
