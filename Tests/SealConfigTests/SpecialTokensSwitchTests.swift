import Testing
@testable import SealConfig

/// `model.special_tokens_in_messages`: off by default, a strict boolean when given.
@Suite("Special tokens in messages switch")
struct SpecialTokensSwitchTests {
    @Test func offByDefaultAndReadWhenGiven() throws {
        #expect(SealdConfiguration().model.specialTokensInMessages == false)
        #expect(try SealdConfiguration.parse(yaml: "model:\n  special_tokens_in_messages: true\n", source: "x.yaml")
            .model.specialTokensInMessages == true)
        #expect(try SealdConfiguration.parse(yaml: "model:\n  special_tokens_in_messages: false\n", source: "x.yaml")
            .model.specialTokensInMessages == false)
    }

    @Test func onlyTrueOrFalseIsAccepted() {
        for value in ["yes", "1", "\"true\"", "null", "[true]"] {
            do {
                _ = try SealdConfiguration.parse(yaml: "model:\n  special_tokens_in_messages: \(value)\n", source: "x.yaml")
                Issue.record("accepted \(value)")
            } catch {
                #expect(error.keyPath == "model.special_tokens_in_messages")
                #expect(error.description.contains("expected true or false"), "\(error)")
            }
        }
    }
}
