/// Rendering conversations into prompt text.
extension ChatTemplate {
    /// Renders `messages` as the model's canonical template would.
    ///
    /// The result contains special-token spellings ("<|im_start|>", "[INST]",
    /// `bosToken`). To tokenize a conversation, use ``renderPrompt(_:addGenerationPrompt:bosToken:eosToken:)``,
    /// which keeps message content apart so that it is never read as control tokens.
    ///
    /// - Parameters:
    ///   - addGenerationPrompt: End with the opening of an assistant turn, so
    ///     the model's continuation is the reply.
    ///   - bosToken: The BOS spelling ("<s>", "<|begin_of_text|>").
    ///   - eosToken: The EOS spelling ("</s>", "<|eot_id|>").
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String, eosToken: String) -> String {
        renderPrompt(messages, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken, eosToken: eosToken).text
    }

    /// Renders `messages` with template text and message content kept apart; tokenize the
    /// result with ``Tokenizer/encode(_:allowSpecialTokensInContent:)``.
    public func renderPrompt(_ messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String,
                             eosToken: String) -> RenderedPrompt {
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

    static func renderChatML(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ defaultSystem: String?) -> RenderedPrompt {
        var out = RenderedPrompt()
        for (index, message) in messages.enumerated() {
            if index == 0, message.role != "system", let defaultSystem {
                out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
            }
            out += "<|im_start|>\(message.role)\n"
            out.content(message.content)
            out += "<|im_end|>\n"
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

    static func renderLlama2(_ messages: [ChatMessage], _ bos: String, _ eos: String) -> RenderedPrompt {
        let (system, rest) = splitSystem(messages)
        var out = RenderedPrompt()
        /// The template trims "<<SYS>>\n{system}\n<</SYS>>\n\n{content}" as one string
        /// (the system block joins the first message), and other messages alone.
        func appendContent(_ message: ChatMessage, system: String?) {
            guard let system else {
                out.content(message.content.trimmingJinjaWhitespace())
                return
            }
            out += "<<SYS>>\n"
            out.content(system)
            let content = message.content.trimmingTrailingJinjaWhitespace()
            out += content.isEmpty ? "\n<</SYS>>" : "\n<</SYS>>\n\n"
            out.content(content)
        }
        for (index, message) in rest.enumerated() {
            let system = index == 0 ? system : nil
            switch message.role {
            case "user":
                out += "\(bos)[INST] "
                appendContent(message, system: system)
                out += " [/INST]"
            case "assistant":
                out += " "
                appendContent(message, system: system)
                out += " \(eos)"
            default: break
            }
        }
        return out
    }

    static func renderMistral(_ messages: [ChatMessage], _ bos: String, _ eos: String) -> RenderedPrompt {
        let (system, rest) = splitSystem(messages)
        var out = RenderedPrompt()
        out += bos
        var systemPending = system
        for message in rest {
            switch message.role {
            case "user":
                out += "[INST] "
                if let pending = systemPending {
                    out.content(pending)
                    out += "\n\n"
                    systemPending = nil
                }
                out.content(message.content)
                out += " [/INST]"
            case "assistant":
                out.content(message.content)
                out += eos
            default:
                break
            }
        }
        return out
    }

    static func renderVicuna(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ eos: String) -> RenderedPrompt {
        let (system, rest) = splitSystem(messages)
        var out = RenderedPrompt()
        for (index, message) in rest.enumerated() {
            if index == 0 {
                if let system { out.content(system) } else { out += vicunaDefaultSystemPrompt }
            }
            switch message.role {
            case "user":
                out += " USER: "
                out.content(message.content.trimmingJinjaWhitespace())
            case "assistant":
                out += " ASSISTANT: "
                out.content(message.content.trimmingJinjaWhitespace())
                out += eos
            default: break
            }
        }
        if addGenerationPrompt { out += " ASSISTANT:" }
        return out
    }

    static func renderLlama3(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ bos: String) -> RenderedPrompt {
        var out = RenderedPrompt()
        for (index, message) in messages.enumerated() {
            if index == 0 { out += bos }
            out += "<|start_header_id|>\(message.role)<|end_header_id|>\n\n"
            out.content(message.content.trimmingJinjaWhitespace())
            out += "<|eot_id|>"
        }
        if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return out
    }

    static func renderZephyr(_ messages: [ChatMessage], _ addGenerationPrompt: Bool, _ eos: String) -> RenderedPrompt {
        var out = RenderedPrompt()
        for message in messages {
            switch message.role {
            case "user", "system", "assistant":
                out += "<|\(message.role)|>\n"
                out.content(message.content)
                out += "\(eos)\n"
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

    /// Python's `str.rstrip()`: trailing whitespace removed.
    func trimmingTrailingJinjaWhitespace() -> String {
        let scalars = unicodeScalars
        guard let last = scalars.lastIndex(where: { !$0.isPythonWhitespace }) else { return "" }
        return String(scalars[...last])
    }
}

extension Unicode.Scalar {
    /// Python's `str.isspace()`: White_Space plus the ASCII separators U+001C...U+001F.
    var isPythonWhitespace: Bool {
        properties.isWhitespace || (0x1C...0x1F).contains(value)
    }
}
