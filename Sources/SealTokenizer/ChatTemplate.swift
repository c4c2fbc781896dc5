/// One turn of a conversation.
public struct ChatMessage: Sendable, Codable, Equatable {
    /// "system", "user" or "assistant".
    public var role: String
    /// The message text, inserted verbatim (some families trim it; see ``ChatTemplate``).
    public var content: String

    /// A message with the given role and text.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The prompt formats of the common chat model families, rendered natively.
///
/// Models ship their chat format as a Jinja template (`tokenizer.chat_template`).
/// Rather than embedding a Jinja interpreter, the template is recognised by its
/// distinctive markers (``detect(fromJinja:)``) and rendered by Swift code that
/// produces exactly what the family's canonical template produces; an unknown
/// template yields `nil` and the caller can pick a family by name
/// (``init(name:)``). Each case documents its format; `{bos}` / `{eos}` stand
/// for the model's BOS / EOS spellings.
public enum ChatTemplate: Sendable, Equatable {
    /// ChatML (Qwen, SmolLM, many fine-tunes):
    /// `<|im_start|>{role}\n{content}<|im_end|>\n` per message, then
    /// `<|im_start|>assistant\n` as the generation prompt. When the model's
    /// template inserts a default system message if the conversation has none
    /// (SmolLM2: "You are a helpful AI assistant named SmolLM, trained by
    /// Hugging Face"), that text is `defaultSystemPrompt`.
    case chatml(defaultSystemPrompt: String? = nil)
    /// Llama-2 chat: `{bos}[INST] {user} [/INST] {assistant} {eos}` per exchange;
    /// a leading system message is folded into the first user turn as
    /// `<<SYS>>\n{system}\n<</SYS>>\n\n{user}`; contents are whitespace-trimmed.
    /// The prompt always ends after `[/INST]`, so there is no separate
    /// generation prompt.
    case llama2
    /// Mistral Instruct (v0.1): `{bos}` once, then `[INST] {user} [/INST]` and
    /// `{assistant}{eos}`. Mistral has no system role: a system message is
    /// prepended to the first user message as `{system}\n\n{user}`.
    case mistral
    /// Vicuna v1.1: `{system}` (a default one if absent), then ` USER: {user}`
    /// and ` ASSISTANT: {assistant}{eos}` (contents trimmed); generation prompt
    /// ` ASSISTANT:`.
    case vicuna
    /// Llama-3 Instruct: `{bos}` then
    /// `<|start_header_id|>{role}<|end_header_id|>\n\n{content}<|eot_id|>`
    /// (content trimmed); generation prompt
    /// `<|start_header_id|>assistant<|end_header_id|>\n\n`.
    case llama3
    /// Zephyr: `<|{role}|>\n{content}{eos}\n` per message; generation prompt
    /// `<|assistant|>\n`.
    case zephyr

    /// Vicuna's standard system prompt, used when the conversation has none.
    public static let vicunaDefaultSystemPrompt =
        "A chat between a curious user and an artificial intelligence assistant. "
        + "The assistant gives helpful, detailed, and polite answers to the user's questions."

    /// The family names accepted by ``init(name:)``.
    public static let names = ["chatml", "llama2", "mistral", "vicuna", "llama3", "zephyr"]

    /// A family by name (case-insensitive; "llama-2", "llama_2" and "chat-ml"
    /// spellings are accepted), for overriding a missing or unrecognised template.
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" }
        switch key {
        case "chatml": self = .chatml()
        case "llama2": self = .llama2
        case "mistral": self = .mistral
        case "vicuna": self = .vicuna
        case "llama3": self = .llama3
        case "zephyr": self = .zephyr
        default: return nil
        }
    }

    /// The family name, as accepted by ``init(name:)``.
    public var name: String {
        switch self {
        case .chatml: "chatml"
        case .llama2: "llama2"
        case .mistral: "mistral"
        case .vicuna: "vicuna"
        case .llama3: "llama3"
        case .zephyr: "zephyr"
        }
    }

    /// Recognises a Jinja chat template by its distinctive markers; `nil` when
    /// there is no template or it belongs to no known family.
    public static func detect(fromJinja source: String?) -> ChatTemplate? {
        guard let source, !source.isEmpty else { return nil }
        if source.contains("<|im_start|>") {
            return .chatml(defaultSystemPrompt: defaultChatMLSystemPrompt(in: source))
        }
        if source.contains("<|start_header_id|>") { return .llama3 }
        if source.contains("[INST]") {
            return source.contains("<<SYS>>") ? .llama2 : .mistral
        }
        // Phi-3 shares Zephyr's role tags but ends turns with "<|end|>", not EOS.
        if source.contains("<|user|>") && source.contains("<|assistant|>") && !source.contains("<|end|>") {
            return .zephyr
        }
        if source.contains("USER:") && source.contains("ASSISTANT:") { return .vicuna }
        return nil
    }

    /// The literal system message a ChatML template inserts when the
    /// conversation has none: the text of a string literal
    /// `'<|im_start|>system\n...<|im_end|>` (one literal, no expressions).
    static func defaultChatMLSystemPrompt(in source: String) -> String? {
        let marker = "<|im_start|>system"
        var searchStart = source.startIndex
        while let found = source.range(of: marker, range: searchStart..<source.endIndex) {
            searchStart = found.upperBound
            var rest = source[found.upperBound...]
            if rest.hasPrefix("\\n") {
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("\n") {
                rest = rest.dropFirst()
            } else {
                continue
            }
            guard let end = rest.range(of: "<|im_end|>") else { continue }
            let literal = rest[..<end.lowerBound]
            guard !literal.isEmpty, !literal.contains(where: { $0 == "'" || $0 == "\"" }) else { continue }
            return unescapeJinjaString(literal)
        }
        return nil
    }

    static func unescapeJinjaString(_ text: Substring) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
