import Foundation
import Testing

@testable import SealTokenizer

@Suite struct ChatTemplateTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var family: String
            var conversation: String
            var add_generation_prompt: Bool
            var bos_token: String
            var eos_token: String
            var rendered: String
        }
        var templates: [String: String]
        var conversations: [String: [ChatMessage]]
        var cases: [Case]
    }

    static func load() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestSupport.fixture("tokenizer/chat-templates.json")))
    }

    /// Every family renders exactly what jinja2 renders from its canonical template.
    @Test func rendersLikeJinja() throws {
        let fixture = try Self.load()
        #expect(fixture.cases.count >= 48)
        for testCase in fixture.cases {
            let source = fixture.templates[testCase.family]
            let template = try #require(ChatTemplate.detect(fromJinja: source), "\(testCase.family) not detected")
            let messages = try #require(fixture.conversations[testCase.conversation])
            let rendered = template.render(
                messages, addGenerationPrompt: testCase.add_generation_prompt,
                bosToken: testCase.bos_token, eosToken: testCase.eos_token)
            #expect(rendered == testCase.rendered, "\(testCase.family) / \(testCase.conversation) / \(testCase.add_generation_prompt)")
        }
    }

    @Test func detectsFamilies() throws {
        let fixture = try Self.load()
        for name in ChatTemplate.names {
            #expect(ChatTemplate.detect(fromJinja: fixture.templates[name]) == ChatTemplate(name: name))
        }
        #expect(ChatTemplate.detect(fromJinja: nil) == nil)
        #expect(ChatTemplate.detect(fromJinja: "{{ messages }}") == nil)
    }

    @Test func smolLM2DefaultSystemPrompt() throws {
        let expected = ChatTemplate.chatml(
            defaultSystemPrompt: "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        #expect(ChatTemplate.detect(fromJinja: try Self.load().templates["smollm2"]) == expected)
        if let tokenizer = TestSupport.smolLM {
            #expect(ChatTemplate.detect(fromJinja: tokenizer.chatTemplateSource) == expected)
        }
        // Escaped newlines in the Jinja string literal are understood too.
        let escaped = #"{% if messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nBe brief.<|im_end|>\n' }}{% endif %}"#
        #expect(ChatTemplate.detect(fromJinja: escaped) == .chatml(defaultSystemPrompt: "Be brief."))
    }

    @Test func namesRoundTrip() {
        for name in ChatTemplate.names {
            #expect(ChatTemplate(name: name)?.name == name)
        }
        #expect(ChatTemplate(name: "Llama-2") == .llama2)
        #expect(ChatTemplate(name: "ChatML") == .chatml())
        #expect(ChatTemplate(name: "alpaca") == nil)
    }

    @Test func chatMLPromptEncodesWithSpecialTokens() {
        guard let tokenizer = TestSupport.smolLM else { return }
        let template = ChatTemplate.detect(fromJinja: tokenizer.chatTemplateSource)
        let text = template?.render(
            [ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true, bosToken: "", eosToken: "<|im_end|>")
        let ids = tokenizer.encode(text ?? "", addSpecialTokens: false)
        #expect(ids.filter { $0 == 1 }.count == 3)  // system, user, assistant turns
        #expect(tokenizer.decode(ids) == text)
    }
}
