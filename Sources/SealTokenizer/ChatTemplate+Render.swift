/// Rendering conversations into prompt text.
extension ChatTemplate {
    /// Renders `messages` as the model's canonical template would.
    ///
    /// The result contains special-token spellings ("<|im_start|>", "[INST]",
    /// `bosToken`); encode it with `parseSpecialTokens: true` and
    /// `addSpecialTokens: false` (templates that need BOS write it themselves).
    ///
    /// - Parameters:
    ///   - addGenerationPrompt: End with the opening of an assistant turn, so
    ///     the model's continuation is the reply.
    ///   - bosToken: The BOS spelling ("<s>", "<|begin_of_text|>").
    ///   - eosToken: The EOS spelling ("</s>", "<|eot_id|>").
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String, eosToken: String) -> String {
        switch self {
        case .chatml(let defaultSystemPrompt):
            return Self.renderChatML(messages, addGenerationPrompt, defaultSystemPrompt)
        case .llama2:
            return Self.renderLlama2(messages, bosToken, eosToken)
        case .mistral:
            return Self.renderMistral(messages, bosToken, eosToken)
        case .vicuna:
            return Self.renderVicuna(messages, addGenerationPrompt, eosToken)
        case .llama3:
            return Self.renderLlama3(messages, addGenerationPrompt, bosToken)
        case .zephyr:
            return Self.renderZephyr(messages, addGenerationPrompt, eosToken)
        }
    }

    static func renderChatML(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ defaultSystem: String?) -> String {
        var out = ""
        for (index, message) in messages.enumerated() {
            if index == 0, message.role != "system", let defaultSystem {
                out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
            }
            out += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }

    /// A leading system message and the rest of the conversation.
    static func splitSystem(_ messages: [ChatMessage]) -> (system: String?, rest: ArraySlice<ChatMessage>) {
        if let first = messages.first, first.role == "system" {
            return (first.content, messages.dropFirst())
        }
        return (nil, messages[...])
    }

    static func renderLlama2(_ messages: [ChatMessage], _ bos: String, _ eos: String) -> String {
        let (system, rest) = splitSystem(messages)
        var out = ""
        for (index, message) in rest.enumerated() {
            var content = message.content
            if index == 0, let system {
                content = "<<SYS>>\n\(system)\n<</SYS>>\n\n\(content)"
            }
            switch message.role {
            case "user": out += "\(bos)[INST] \(content.trimmingJinjaWhitespace()) [/INST]"
            case "assistant": out += " \(content.trimmingJinjaWhitespace()) \(eos)"
            default: break
            }
        }
        return out
    }

    static func renderMistral(_ messages: [ChatMessage], _ bos: String, _ eos: String) -> String {
        let (system, rest) = splitSystem(messages)
        var out = bos
        var systemPending = system
        for message in rest {
            switch message.role {
            case "user":
                var content = message.content
                if let pending = systemPending {
                    content = "\(pending)\n\n\(content)"
                    systemPending = nil
                }
                out += "[INST] \(content) [/INST]"
            case "assistant":
                out += "\(message.content)\(eos)"
            default:
                break
            }
        }
        return out
    }

    static func renderVicuna(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ eos: String) -> String {
        let (system, rest) = splitSystem(messages)
        var out = ""
        for (index, message) in rest.enumerated() {
            if index == 0 { out += system ?? vicunaDefaultSystemPrompt }
            switch message.role {
            case "user": out += " USER: \(message.content.trimmingJinjaWhitespace())"
            case "assistant": out += " ASSISTANT: \(message.content.trimmingJinjaWhitespace())\(eos)"
            default: break
            }
        }
        if addGenerationPrompt { out += " ASSISTANT:" }
        return out
    }

    static func renderLlama3(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ bos: String) -> String {
        var out = ""
        for (index, message) in messages.enumerated() {
            if index == 0 { out += bos }
            out += "<|start_header_id|>\(message.role)<|end_header_id|>\n\n"
            out += "\(message.content.trimmingJinjaWhitespace())<|eot_id|>"
        }
        if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return out
    }

    static func renderZephyr(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ eos: String) -> String {
        var out = ""
        for message in messages {
            switch message.role {
            case "user", "system", "assistant":
                out += "<|\(message.role)|>\n\(message.content)\(eos)\n"
            default:
                break
            }
        }
        if addGenerationPrompt, !messages.isEmpty { out += "<|assistant|>\n" }
        return out
    }
}

extension String {
    /// Jinja's `trim` / Python's `str.strip()`: leading and trailing whitespace removed.
    func trimmingJinjaWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isPythonWhitespace }),
            let last = scalars.lastIndex(where: { !$0.isPythonWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// Python's `str.isspace()`: White_Space plus the ASCII separators U+001C...U+001F.
    var isPythonWhitespace: Bool {
        properties.isWhitespace || (0x1C...0x1F).contains(value)
    }
}
