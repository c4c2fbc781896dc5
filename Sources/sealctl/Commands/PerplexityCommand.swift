import ArgumentParser
import Foundation
import SealAPI
import SealClient

/// `sealctl perplexity`: the loaded model's perplexity on a text, as a daemon job.
struct PerplexityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Perplexity of the loaded model on a text (llama.cpp's method, as seal-run perplexity), as a job.",
        subcommands: [Run.self],
        defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Start a perplexity job on a text file.",
            discussion: """
                Sends the file's text to the daemon, which cuts its tokens into chunks of --context tokens and \
                scores the second half of each, checkpointing after every chunk (a restart continues). Prints the \
                job id, or with --wait follows the running perplexity and prints the final one with its standard error.

                Example: sealctl perplexity run /usr/share/common-licenses/GPL-3 --kv-cache f16 --wait
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "UTF-8 text file, e.g. /usr/share/common-licenses/GPL-3.")
        var file: String

        @Option(name: [.short, .long], help: ArgumentHelp("Tokens per chunk (default 512); the second half of each is scored.", valueName: "n"))
        var context: Int?

        @Option(help: ArgumentHelp("Score at most this many chunks (default: every whole chunk).", valueName: "n"))
        var chunks: Int?

        @Option(name: .customLong("kv-cache"), help: ArgumentHelp("KV cache type: f32 or f16 (default: the daemon's model.kv_cache).", valueName: "type"))
        var kvCache: String?

        @Option(help: ArgumentHelp("A name for the job.", valueName: "name"))
        var name: String?

        @Flag(help: "Follow the job and print the result.")
        var wait = false

        /// Texts larger than a request body may be (seald's default limit) are refused here.
        static let maximumFileBytes = 1 << 20

        func validate() throws {
            if let context, context < 16 { throw ValidationError("--context must be at least 16") }
            if let chunks, chunks < 1 { throw ValidationError("--chunks must be positive") }
            if let kvCache, !["f32", "f16"].contains(kvCache) { throw ValidationError("--kv-cache must be f32 or f16") }
        }

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values.isRegularFile == true else { throw ValidationError("\(file) is not a regular file") }
            guard let size = values.fileSize, size <= Self.maximumFileBytes else {
                throw ValidationError("\(file) is larger than 1 MiB (a request body's limit); score a part of it with seal-run perplexity")
            }
            guard let text = String(data: try Data(contentsOf: url), encoding: .utf8) else {
                throw ValidationError("\(file) is not UTF-8 text")
            }
            let parameters = PerplexityJobParameters(text: text, context: context, chunks: chunks, kvCache: kvCache)
            try await JobStarter.start(CreateJobRequest(kind: .perplexity, name: name, perplexity: parameters),
                                       wait: wait, global: global)
        }
    }
}
