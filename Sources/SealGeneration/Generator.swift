import Foundation
import SealModel
import SealTokenizer

/// Limits and stop conditions of one generation.
public struct GenerationOptions: Sendable, Equatable {
    /// Most new tokens to produce.
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// Generation ends before any of these strings; they are not part of the output.
    public var stop: [String]
    /// Keep going past end-of-generation tokens (for benchmarks).
    public var ignoreEndOfGeneration: Bool
    /// Report each generated token's log-probability with this many alternatives
    /// (0: the token's own only; at most ``LogprobReader/maximumTop``); `nil` reports none.
    public var logprobs: Int?
    /// Report the log-probability of every prompt token after the first (OpenAI's
    /// `echo` with `logprobs`), with `logprobs` alternatives.
    public var promptLogprobs: Bool
    /// With ``promptLogprobs``, the first prompt position reported (at least 1). Positions before
    /// it are prefilled without computing their logits: scoring a continuation after a long
    /// context pays the output layer and the log-softmax for the continuation only.
    public var promptLogprobsStart: Int

    public init(maxTokens: Int = 256, sampling: SamplingParameters = SamplingParameters(),
                stop: [String] = [], ignoreEndOfGeneration: Bool = false, logprobs: Int? = nil,
                promptLogprobs: Bool = false, promptLogprobsStart: Int = 1) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stop = stop
        self.ignoreEndOfGeneration = ignoreEndOfGeneration
        self.logprobs = logprobs
        self.promptLogprobs = promptLogprobs
        self.promptLogprobsStart = promptLogprobsStart
    }

    public func validate() throws(GenerationError) {
        guard maxTokens >= 0 else { throw GenerationError(.invalidParameter("max_tokens", "must be non-negative, got \(maxTokens)")) }
        if let logprobs, logprobs < 0 || logprobs > LogprobReader.maximumTop {
            throw GenerationError(.invalidParameter("logprobs", "must be in 0...\(LogprobReader.maximumTop), got \(logprobs)"))
        }
        guard promptLogprobsStart >= 1 else {
            throw GenerationError(.invalidParameter("promptLogprobsStart", "must be at least 1, got \(promptLogprobsStart)"))
        }
        try sampling.validate()
    }
}

/// Why a generation ended, in OpenAI's vocabulary where one exists.
public enum FinishReason: String, Sendable, Codable {
    /// The model produced an end-of-generation token.
    case stop
    /// A stop string was reached.
    case stopString = "stop_string"
    /// `maxTokens` were produced.
    case length
    /// The context window is full.
    case contextFull = "context_full"
    /// The consumer asked to stop.
    case cancelled
}

/// Text as a generation decides it, with the log-probabilities of every token decided since the
/// previous piece (when ``GenerationOptions/logprobs`` is set), so a stream can carry both. A
/// piece's text need not be its tokens' text (text is held back while it may start a stop
/// string or ends inside a character); tokens decided after the last piece are only in
/// ``GenerationResult/logprobs``, which a stream sends with its end.
public struct GeneratedPiece: Sendable, Equatable {
    public var text: String
    public var logprobs: [TokenLogprob]
    public init(text: String, logprobs: [TokenLogprob] = []) {
        self.text = text
        self.logprobs = logprobs
    }
}

/// What a generation produced and how long it took.
public struct GenerationResult: Sendable {
    public var tokens: [TokenID]
    public var text: String
    public var finishReason: FinishReason
    public var promptTokenCount: Int
    public var prefillSeconds: Double
    public var decodeSeconds: Double
    /// One entry per generated token when ``GenerationOptions/logprobs`` was set.
    public var logprobs: [TokenLogprob] = []
    /// One entry per prompt token from ``GenerationOptions/promptLogprobsStart`` on (by default every
    /// token after the first) when ``GenerationOptions/promptLogprobs`` was set.
    public var promptLogprobs: [TokenLogprob] = []

    public var decodeTokensPerSecond: Double {
        decodeSeconds > 0 ? Double(max(0, tokens.count - 1)) / decodeSeconds : 0
    }
}

/// Runs the decode loop: prefill the prompt, then sample, stream and stop.
public struct Generator: Sendable {
    public let model: LanguageModel

    public init(model: LanguageModel) {
        self.model = model
    }

    /// Generates a continuation of `prompt` in `session` (which is reset first).
    ///
    /// - Parameters:
    ///   - keepingPrefix: how many tokens at the start of `session` already hold `prompt`'s
    ///     first tokens (a shared prefix, see ``PromptCache``); they are kept and only the rest
    ///     is prefilled. Must be below `prompt.count` (the last token's logits are needed) and
    ///     at most what the session holds; the caller vouches that those tokens match. Not
    ///     with ``GenerationOptions/promptLogprobs`` (the kept tokens' logits are not recomputed).
    ///   - onText: receives each piece of valid UTF-8 text as it is
    ///     decided; return `false` to cancel.
    public func generate(prompt: [TokenID], in session: InferenceSession, keepingPrefix keep: Int = 0,
                         options: GenerationOptions,
                         onText: (String) -> Bool = { _ in true }) throws(GenerationError) -> GenerationResult {
        try generate(prompt: prompt, in: session, keepingPrefix: keep, options: options, onPiece: { onText($0.text) })
    }

    /// Generates as ``generate(prompt:in:keepingPrefix:options:onText:)`` does, handing each piece
    /// of text to `onPiece` with the log-probabilities of the tokens behind it.
    public func generate(prompt: [TokenID], in session: InferenceSession, keepingPrefix keep: Int = 0,
                         options: GenerationOptions,
                         onPiece: (GeneratedPiece) -> Bool) throws(GenerationError) -> GenerationResult {
        try options.validate()
        guard !prompt.isEmpty else { throw GenerationError(.emptyPrompt) }
        guard keep >= 0, keep < prompt.count, keep <= session.count else {
            throw GenerationError(.invalidParameter("keepingPrefix", "must be in 0..<\(prompt.count) and at most the \(session.count) tokens the session holds, got \(keep)"))
        }
        guard keep == 0 || !options.promptLogprobs else {
            throw GenerationError(.invalidParameter("keepingPrefix", "prompt logprobs need the whole prompt prefilled; keep no prefix"))
        }
        let tokenizer = model.tokenizer
        let clock = ContinuousClock()
        session.truncate(to: keep)
        let prefillStart = clock.now
        var reader = options.logprobs.map { LogprobReader(top: $0) }
        var promptLogprobs: [TokenLogprob] = []
        let rest = keep == 0 ? prompt : Array(prompt[keep...])
        var logits = try prefill(rest, in: session, reader: options.promptLogprobs ? reader : nil,
                                 from: options.promptLogprobsStart, into: &promptLogprobs)
        let prefillSeconds = seconds(clock.now - prefillStart)

        var sampler = Sampler(parameters: options.sampling, vocabularySize: model.configuration.vocabularySize)
        var history = prompt
        // maxTokens comes from a request: reserve no more than the session can hold.
        let room = min(options.maxTokens, max(0, session.capacity - session.count) + 1)
        history.reserveCapacity(prompt.count + room)
        var generated: [TokenID] = []
        generated.reserveCapacity(room)
        var logprobs: [TokenLogprob] = []
        if reader != nil { logprobs.reserveCapacity(room) }
        var decoder = tokenizer.makeStreamingDecoder()
        var matcher = StopMatcher(stops: options.stop)
        var text = ""
        var reason = FinishReason.length
        let endTokens = tokenizer.endOfGenerationTokenIDs
        let decodeStart = clock.now
        // Log-probabilities already handed out with a piece.
        var reported = 0
        func emit(_ piece: String) -> Bool {
            defer { reported = logprobs.count }
            return onPiece(GeneratedPiece(text: piece, logprobs: Array(logprobs[reported...])))
        }

        loop: while generated.count < options.maxTokens {
            let token = try logits.withUnsafeBufferPointer { buffer throws(GenerationError) in
                try sampler.sample(buffer, recent: history[...])
            }
            if endTokens.contains(token) && !options.ignoreEndOfGeneration {
                reason = .stop
                break
            }
            if reader != nil {
                try logits.withUnsafeBufferPointer { buffer throws(GenerationError) in
                    if let entry = try reader?.read(buffer, chosen: token) { logprobs.append(entry) }
                }
            }
            generated.append(token)
            history.append(token)
            switch matcher.feed(decoder.append(token)) {
            case .emit(let piece):
                text += piece
                if !piece.isEmpty && !emit(piece) {
                    reason = .cancelled
                    break loop
                }
            case .stop(let piece):
                text += piece
                if !piece.isEmpty { _ = emit(piece) }
                reason = .stopString
                break loop
            }
            if generated.count == options.maxTokens { break }
            if session.count >= session.capacity {
                reason = .contextFull
                break
            }
            do { logits = try session.decode(token) } catch { throw GenerationError(error) }
        }
        if reason != .stopString && reason != .cancelled {
            let rest = matcher.feed(decoder.finish())
            let tail: String
            switch rest {
            case .emit(let piece): tail = piece + matcher.finish()
            case .stop(let piece): tail = piece; reason = .stopString
            }
            text += tail
            if !tail.isEmpty { _ = emit(tail) }
        }
        return GenerationResult(tokens: generated, text: text, finishReason: reason, promptTokenCount: prompt.count,
                                prefillSeconds: prefillSeconds, decodeSeconds: seconds(clock.now - decodeStart),
                                logprobs: logprobs, promptLogprobs: promptLogprobs)
    }

    /// Runs the prompt through `session`; with a `reader`, also reads the
    /// log-probability of each prompt token after the first into `entries`.
    /// Prefills `prompt`; with a `reader`, reads the log-probability of each token from position
    /// `first` on out of the logits of the position before it.
    private func prefill(_ prompt: [TokenID], in session: InferenceSession, reader: LogprobReader?, from first: Int,
                         into entries: inout [TokenLogprob]) throws(GenerationError) -> Logits {
        guard var reader else {
            do { return try session.append(prompt) } catch { throw GenerationError(error) }
        }
        // Positions before `first - 1` score nothing: prefilled without logits (at least the last
        // token stays for the pass that reads logits), in whole blocks, so every block is the one a
        // run reading all logits would prefill and the values read are bit-identical to its own.
        let wanted = min(max(0, first - 1), prompt.count - 1)
        let unread = wanted - wanted % session.blockSize
        let read = Array(prompt[unread...])
        // The first reported position (at least 1), relative to `read`.
        let skip = max(1, first) - unread - 1
        entries.reserveCapacity(max(0, read.count - 1 - skip))
        var failure: GenerationError?
        let logits: Logits
        do throws(SealModelError) {
            if unread > 0 { _ = try session.append(Array(prompt[..<unread])) }
            logits = try session.append(read) { index, row in
                guard failure == nil, index >= skip, index + 1 < read.count else { return }
                do throws(GenerationError) { entries.append(try reader.read(row, chosen: read[index + 1])) } catch { failure = error }
            }
        } catch { throw GenerationError(error) }
        if let failure { throw failure }
        return logits
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
