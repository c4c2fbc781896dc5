import SealAPI
import SealGeneration
import SealModel
import SealPlugins
import SealTokenizer
import SealTuning

/// Measures one task sample under some scales: the greedy answer as an evaluation would give
/// it (scored by the task), and the mean cross-entropy of the reference answer's tokens after
/// the same prompt, both from one prefill.
///
/// Head analysis runs this once per (head, sample), so the prompt is tokenized and the
/// context extension planned once per sample (``Prepared``), not once per head.
struct AnswerProbe: Sendable {
    let loaded: ModelHost.Loaded
    let contextExtension: ContextExtensionChoice?
    let maxTokens: Int
    let plugins: PluginBridge
    let task: String
    let parameters: [String: JSONValue]

    /// A sample ready to run: its prompt (chat template, answer prefix when primed) and the tokens
    /// of the answer that follows the prompt, with the position encoding planned for its length.
    struct Prepared: Sendable {
        let sample: DatasetContent.Sample
        let prompt: [TokenID]
        let answer: [TokenID]
        let encoding: any PositionEncoding
        let capacity: Int
    }

    struct Measure: Codable, Sendable, Equatable {
        var promptTokens: Int
        var output: String
        /// Mean cross-entropy in nats of the reference answer tokens.
        var loss: Double
        var score: Double
        var correct: Bool
    }

    /// The text the loss is taken on: what the task's label says after the rendered prefix
    /// (" 4821." after "The pass key is"), or the label (else the answer) when not primed.
    static func continuation(of sample: DatasetContent.Sample, primed: Bool) -> String {
        let label = sample.label.isEmpty ? sample.answer : sample.label
        guard primed, let prefix = sample.answerPrefix, !prefix.isEmpty else { return label }
        if label.hasPrefix(prefix) { return String(label.dropFirst(prefix.count)) }
        return " " + sample.answer
    }

    func prepare(_ sample: DatasetContent.Sample, primed: Bool) throws -> Prepared {
        let model = loaded.model
        let prompt = model.taskPrompt(sample.prompt, answerPrefix: primed ? sample.answerPrefix ?? "" : "")
        let answer = model.tokenizer.encode(Self.continuation(of: sample, primed: primed), addSpecialTokens: false,
                                            parseSpecialTokens: false)
        guard !prompt.isEmpty, !answer.isEmpty else {
            throw ServiceError.unprocessable("sample \(sample.index) has an empty prompt or answer")
        }
        let capacity = prompt.count + max(maxTokens, answer.count)
        let resolved = try plugins.resolve(contextExtension, loaded: loaded, rope: model.transformer.ropeParameters,
                                           targetLength: capacity)
        guard capacity <= resolved.window else {
            throw ServiceError.unprocessable(
                "sample \(sample.index) needs \(capacity) positions but the window is \(resolved.window); use a context extension")
        }
        return Prepared(sample: sample, prompt: prompt, answer: answer, encoding: resolved.encoding, capacity: capacity)
    }

    /// Greedy answer and answer loss of `prepared` under `transformer`.
    func measure(_ prepared: Prepared, transformer: TransformerModel) throws -> Measure {
        let answer = prepared.answer, prompt = prepared.prompt
        let session = try InferenceSession(model: transformer, capacity: prepared.capacity, positionEncoding: prepared.encoding,
                                           maximumOutputRows: min(answer.count, 64),
                                           keyValueCache: loaded.keyValueCache(capacity: prepared.capacity))
        let output = try Generator(model: loaded.model).generate(
            prompt: prompt, in: session, options: GenerationOptions(maxTokens: maxTokens, sampling: .greedy))
        // The prompt's keys stay cached: rerun its last token, then the answer teacher-forced.
        session.truncate(to: prompt.count - 1)
        let forced = [prompt[prompt.count - 1]] + answer.dropLast()
        let rows = try session.evaluate(forced, logitsAt: Array(forced.indices))
        var total = 0.0
        for (offset, logits) in rows.enumerated() {
            total += ForwardAnswerLoss.crossEntropy(logits, target: Int(answer[offset]))
        }
        let s = prepared.sample
        let score = try plugins.score(task: task, prompt: s.prompt, answer: s.answer, label: s.label, output: output.text,
                                      parameters: parameters)
        return Measure(promptTokens: prompt.count, output: output.text, loss: total / Double(answer.count),
                       score: score.score, correct: score.correct)
    }
}
