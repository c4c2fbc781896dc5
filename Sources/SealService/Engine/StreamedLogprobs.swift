import SealAPI
import SealGeneration
import SealTokenizer

/// The log-probabilities of a streamed generation, chunk by chunk, in the three API shapes.
///
/// Each chunk carries the entries of the tokens decided since the previous one; the stream's
/// last chunk carries the rest (tokens whose text never became a piece, such as a stop
/// string's), so the chunks together hold exactly what the same request answers unstreamed.
package struct StreamedLogprobs: Sendable {
    private let tokenizer: Tokenizer
    /// Entries already sent.
    private var sent = 0
    /// Characters of the choice's text behind the entries sent (completions' `text_offset`).
    private var characters = 0

    package init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// The native shape of a piece's entries (`nil` when there are none).
    package mutating func native(_ entries: [TokenLogprob]) -> [TokenLogprobBody]? {
        sent += entries.count
        return entries.isEmpty ? nil : GenerationService.logprobBodies(entries, tokenizer: tokenizer)
    }

    /// OpenAI's completion or chat shape of a piece's entries (`nil` when there are none).
    package mutating func openAI(_ entries: [TokenLogprob], chat: Bool) -> ChoiceLogprobs? {
        guard !entries.isEmpty else { return nil }
        sent += entries.count
        if chat { return .chat(OpenAILogprobShapes.chat(entries, tokenizer: tokenizer)) }
        let shape = OpenAILogprobShapes.completion(prompt: nil, promptLogprobs: [], generated: entries,
                                                   tokenizer: tokenizer, startOffset: characters)
        characters += OpenAILogprobShapes.characters(entries, tokenizer: tokenizer)
        return .completion(shape)
    }

    /// The entries of `all` (the generation's whole list) not sent yet.
    package func remaining(of all: [TokenLogprob]) -> [TokenLogprob] {
        Array(all.dropFirst(sent))
    }
}
