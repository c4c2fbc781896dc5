import SealPluginABI

/// One generated sample of a task's data set.
public struct TaskSample: Sendable, Hashable, Codable {
    /// The user message; the host applies the model's chat template around it.
    public var prompt: String
    /// What a correct output must contain, e.g. "68237".
    public var answer: String
    /// The full target completion for training, e.g. "The pass key is 68237.".
    public var label: String
    /// ABI 1.1: the start of the assistant's answer ("The pass key is"), empty when the task has
    /// none. `label` starts with it. Rendering it after the chat template primes the format, so a
    /// wrong score means a failed retrieval rather than a failed format.
    public var answerPrefix: String
    /// ABI 1.1: facts the plugin reports about the sample (depth, number of keys, ...), carried
    /// into data sets and reports.
    public var fields: [String: PluginParameterValue]

    public init(prompt: String, answer: String, label: String, answerPrefix: String = "",
                fields: [String: PluginParameterValue] = [:]) {
        self.prompt = prompt
        self.answer = answer
        self.label = label
        self.answerPrefix = answerPrefix
        self.fields = fields
    }

    /// What the model must generate (and is trained on): the label, minus the answer prefix
    /// when the prefix is rendered into the prompt.
    public func completion(primed: Bool) -> String {
        guard primed, !answerPrefix.isEmpty, label.hasPrefix(answerPrefix) else { return label }
        return String(label.dropFirst(answerPrefix.count))
    }
}

/// What task samples are made for (ABI 1.1 `purpose`).
public enum TaskPurpose: String, Sendable, Codable, CaseIterable {
    /// Test data: evaluations and reports.
    case evaluation
    /// Tuning data; tasks with hand-written content never reuse evaluation content for it.
    case training

    var cValue: seal_task_purpose {
        self == .training ? SEAL_TASK_PURPOSE_TRAINING : SEAL_TASK_PURPOSE_EVALUATION
    }
}

/// How well one model output answers a sample.
public struct TaskScore: Sendable, Hashable, Codable {
    /// In `0...1`.
    public var score: Double
    public var correct: Bool
    /// ABI 1.1: the scorer's short explanation ("predicted 4521, expected 4512"), empty if none.
    public var reason: String

    public init(score: Double, correct: Bool, reason: String = "") {
        self.score = score
        self.correct = correct
        self.reason = reason
    }
}

/// A data generator and scorer (passkey, LongEval lines, needle in a haystack, ...).
///
/// Used by training jobs (samples with labels) and evaluations (samples, then scores).
/// Each call reaches the plugin once; nothing here runs per token.
public struct TaskPlugin: Sendable {
    let plugin: LoadedPlugin

    init(_ plugin: LoadedPlugin) {
        self.plugin = plugin
    }

    public var info: PluginInfo { plugin.info }

    /// Checks `parameters` against the schema without calling the plugin (e.g. when a job is submitted).
    public func validate(parameters: [String: PluginParameterValue]) throws(PluginError) {
        _ = try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters)
    }

    /// Sample `index` of the data set `seed`, sized to about `targetTokens` prompt tokens.
    ///
    /// Deterministic: the same arguments (and tokenizer) give the same sample.
    /// - Parameters:
    ///   - tokenCounter: tokens the model's tokenizer makes of a text, without special
    ///     tokens, e.g. `{ tokenizer.encode($0, addSpecialTokens: false).count }`.
    ///   - textGenerator: optional generation by the loaded model (prompt, maximum new
    ///     tokens) for tasks that write their own content; nil when none is available.
    ///   - targetTokens: tokens of the prompt text itself (what the host adds around it, the
    ///     chat template and a rendered answer prefix, already subtracted).
    ///   - sampleCount: samples in the data set (for tasks that spread depths over it); nil = `index + 1`.
    ///   - purpose: training samples never share hand-written content with evaluation ones.
    public func makeSample(index: Int, seed: UInt64, targetTokens: Int,
                           parameters: [String: PluginParameterValue] = [:],
                           sampleCount: Int? = nil, purpose: TaskPurpose = .evaluation,
                           tokenCounter: (String) -> Int,
                           textGenerator: ((String, Int) -> String?)? = nil) throws(PluginError) -> TaskSample {
        let call = PluginCall(plugin: info.name, operation: "make_sample")
        guard case .task(let functions) = plugin.functions, let makeSample = functions.make_sample else {
            throw call.refuse("is not a task plugin")
        }
        guard index >= 0 else { throw call.refuse("sample index \(index) is negative") }
        guard (1...Self.maximumTargetTokens).contains(targetTokens) else {
            throw call.refuse("target length \(targetTokens) must be in 1...\(Self.maximumTargetTokens)")
        }
        let sampleCount = sampleCount ?? index + 1
        guard index < sampleCount else {
            throw call.refuse("sample index \(index) is outside a data set of \(sampleCount) samples")
        }
        let values = CParameterValues(try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters))
        let prompt = TextSink(), answer = TextSink(), label = TextSink(), prefix = TextSink(), fields = TextSink()
        let request = seal_task_request(struct_size: CLayout.size(of: seal_task_request.self), index: UInt64(index),
                                        seed: seed, target_tokens: Int64(targetTokens),
                                        sample_count: UInt64(sampleCount), purpose: purpose.cValue)
        let out = seal_task_sample_out(struct_size: CLayout.size(of: seal_task_sample_out.self),
                                       prompt: prompt.sink, answer: answer.sink, label: label.sink,
                                       answer_prefix: prefix.sink, fields: fields.sink)
        let failure: PluginError? = withoutActuallyEscaping(tokenCounter) { counter in
            let host = HostContext(countTokens: counter, generate: textGenerator)
            return host.withHost { hostPointer in
                values.withValues { params, count in
                    withUnsafePointer(to: request) { request in
                        withUnsafePointer(to: out) { out in
                            call.call { error, capacity in
                                makeSample(hostPointer, params, count, request, out, error, capacity)
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return try withExtendedLifetime((prompt, answer, label, prefix, fields)) { () throws(PluginError) -> TaskSample in
            guard let promptText = prompt.text, !promptText.isEmpty else {
                throw call.invalid("the prompt is empty or not valid UTF-8")
            }
            guard let answerText = answer.text, !answerText.isEmpty else {
                throw call.invalid("the answer is empty or not valid UTF-8")
            }
            guard let labelText = label.text else { throw call.invalid("the label is not valid UTF-8") }
            guard let prefixText = prefix.text else { throw call.invalid("the answer prefix is not valid UTF-8") }
            // A task without a separate training label trains on its answer.
            let fullLabel = labelText.isEmpty ? answerText : labelText
            guard fullLabel.hasPrefix(prefixText) else {
                throw call.invalid("the label \"\(fullLabel)\" does not start with the answer prefix \"\(prefixText)\"")
            }
            return TaskSample(prompt: promptText, answer: answerText, label: fullLabel, answerPrefix: prefixText,
                              fields: try SampleFields.parse(fields.bytes, call: call))
        }
    }

    /// The longest prompt the host asks a plugin for (the header's bound).
    public static let maximumTargetTokens = 4 << 20

    /// Scores a model output (the generated text only, without the prompt) against `sample`.
    public func score(sample: TaskSample, output: String,
                      parameters: [String: PluginParameterValue] = [:]) throws(PluginError) -> TaskScore {
        let call = PluginCall(plugin: info.name, operation: "score")
        guard case .task(let functions) = plugin.functions, let score = functions.score else {
            throw call.refuse("is not a task plugin")
        }
        for (name, text) in [("prompt", sample.prompt), ("answer", sample.answer), ("label", sample.label), ("output", output)]
        where text.utf8.contains(0) {
            throw call.refuse("the \(name) contains a NUL character")
        }
        let values = CParameterValues(try ParameterBinding(plugin: info.name, schema: info.parameters).resolve(parameters))
        var reason = [CChar](repeating: 0, count: Self.reasonCapacity)
        let host = HostContext()
        var result = seal_task_score()
        let failure: PluginError? = reason.withUnsafeMutableBufferPointer { reasonBuffer in
          result = seal_task_score(struct_size: CLayout.size(of: seal_task_score.self), score: 0, correct: 0,
                                   reason: reasonBuffer.baseAddress, reason_capacity: reasonBuffer.count)
          defer { result.reason = nil }
          return host.withHost { hostPointer in
            values.withValues { params, count in
                sample.prompt.withCString { prompt in
                    sample.answer.withCString { answer in
                        sample.label.withCString { label in
                            output.withCString { output in
                                let view = seal_task_sample(struct_size: CLayout.size(of: seal_task_sample.self),
                                                            prompt: prompt, answer: answer, label: label)
                                return withUnsafePointer(to: view) { view in
                                    call.call { error, capacity in
                                        score(hostPointer, params, count, view, output, &result, error, capacity)
                                    }
                                }
                            }
                        }
                    }
                }
            }
          }
        }
        if let failure { throw failure }
        guard result.score.isFinite, (0...1).contains(result.score) else {
            throw call.invalid("score \(result.score) is outside 0...1")
        }
        // The buffer is host memory: read at most its capacity even if the plugin forgot the NUL.
        let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return TaskScore(score: result.score, correct: result.correct != 0, reason: text)
    }

    static let reasonCapacity = 256
}
