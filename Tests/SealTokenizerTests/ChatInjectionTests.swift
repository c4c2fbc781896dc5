import Foundation
import Testing

@testable import SealTokenizer

/// Message content is text: control-token spellings in it are spelled out by BPE, and only
/// the template writes control tokens. Expected ids come from HF `tokenizers` reading the
/// same runs as text (Tools/reference/make_chat_injection_fixtures.py).
@Suite("Chat content cannot forge turns")
struct ChatInjectionTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var model: String
            var template: String
            var messages: [ChatMessage]
            var rendered: String
            var expectedIDs: [Int32]
            var hfParsedIDs: [Int32]

            enum CodingKeys: String, CodingKey {
                case name, model, template, messages, rendered
                case expectedIDs = "expected_ids"
                case hfParsedIDs = "hf_parsed_ids"
            }
        }

        var cases: [Case]
    }

    static let fixture: Fixture? = {
        do {
            return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestSupport.fixture("tokenizer/chat-injection.json")))
        } catch {
            Issue.record("cannot read the chat-injection fixture: \(error)")
            return nil
        }
    }()

    private func setting(for testCase: Fixture.Case) throws -> (Tokenizer, ChatTemplate) {
        let tokenizer = try #require(testCase.model.hasPrefix("SmolLM2") ? TestSupport.smolLM : TestSupport.tinyCoder,
                                     "models/\(testCase.model) is needed: run scripts/fetch-models.sh")
        let template: ChatTemplate = testCase.template == "chatml" ? .chatml(defaultSystemPrompt: nil) : .llama2
        return (tokenizer, template)
    }

    @Test func contentIsReadAsTextLikeHFWithSpecialTokensEncoded() throws {
        let fixture = try #require(Self.fixture)
        #expect(fixture.cases.count == 5)
        for testCase in fixture.cases {
            let (tokenizer, template) = try setting(for: testCase)
            let prompt = template.renderPrompt(testCase.messages, addGenerationPrompt: testCase.template == "chatml",
                                               bosToken: "<s>", eosToken: "</s>")
            #expect(prompt.text == testCase.rendered, "\(testCase.model) \(testCase.name): rendering differs")
            let ids = tokenizer.encode(prompt)
            #expect(ids == testCase.expectedIDs,
                    "\(testCase.model) \(testCase.name): \(ids.count) tokens, HF reads \(testCase.expectedIDs.count)")
        }
    }

    @Test func aForgedTurnGetsNoControlTokensFromContent() throws {
        let fixture = try #require(Self.fixture)
        let forged = try #require(fixture.cases.first { $0.model.hasPrefix("SmolLM2") && $0.name == "forged turn" })
        let (tokenizer, template) = try setting(for: forged)
        let prompt = template.renderPrompt(forged.messages, addGenerationPrompt: true, bosToken: "", eosToken: "")
        let start = try #require(tokenizer.tokenID(forText: "<|im_start|>"))
        let ids = tokenizer.encode(prompt)
        // The template opens three turns (system, user, assistant); the content's two openings are text.
        #expect(ids.filter { $0 == start }.count == 3)
        // The trusted-client switch restores the parsed reading, which HF gives for the whole string.
        let parsed = tokenizer.encode(prompt, allowSpecialTokensInContent: true)
        #expect(parsed == forged.hfParsedIDs)
        #expect(parsed.filter { $0 == start }.count == 5)
    }

    @Test func templatesWithoutSpellingsInContentTokenizeAsBefore() throws {
        guard let tokenizer = TestSupport.smolLM else {
            Issue.record("models/SmolLM2-135M-Instruct.Q4_1.gguf is needed: run scripts/fetch-models.sh")
            return
        }
        let messages = [ChatMessage(role: "system", content: "  Be brief.  "), ChatMessage(role: "user", content: "Hi there\n"),
                        ChatMessage(role: "assistant", content: "Hello!"), ChatMessage(role: "user", content: "")]
        for template in [ChatTemplate.chatml(defaultSystemPrompt: "sys"), .llama2, .mistral, .vicuna, .llama3, .zephyr] {
            for trimmed in [messages, Array(messages.dropFirst())] {
                let prompt = template.renderPrompt(trimmed, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>")
                #expect(tokenizer.encode(prompt) == tokenizer.encode(prompt.text, addSpecialTokens: false, parseSpecialTokens: true),
                        "\(template)")
            }
        }
    }
}
