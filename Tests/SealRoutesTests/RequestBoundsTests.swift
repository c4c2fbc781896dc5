import Foundation
import SealConfig
@testable import SealService
import Testing

/// Request numbers are hostile: they are clamped or refused before they size
/// anything (issue 6, items 1-4), on every generation route.
@Suite("Request bounds (in process, tiny model)")
struct RequestBoundsTests {
    static let routes = [
        ("/api/generate", #""prompt":"hi""#),
        ("/v1/completions", #""prompt":"hi""#),
        ("/v1/chat/completions", #""messages":[{"role":"user","content":"hi"}]"#),
    ]

    /// `prompt.count + max_tokens` overflowed (trap); 10^11 aborted in reserveCapacity;
    /// a top_k of 10^11 aborted in the sampler's heap. Now max_tokens is clamped to
    /// the room left in the window and top_k to the vocabulary.
    @Test(arguments: ["9223372036854775807", "100000000000"])
    func hugeMaxTokensIsClampedToTheWindow(maxTokens: String) async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for (path, input) in Self.routes {
            let reply = await harness.post(path, #"{\#(input),"max_tokens":\#(maxTokens),"seed":1}"#)
            #expect(reply.status == 200, "\(path): \(reply.body)")
            let usage = try #require(try Self.usage(reply.body), "\(path): \(reply.body)")
            #expect(usage.prompt + usage.completion <= 64, "\(path): \(reply.body)")
        }
    }

    @Test func hugeTopKIsBoundedByTheVocabulary() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for (path, input) in Self.routes {
            let reply = await harness.post(path, #"{\#(input),"max_tokens":1,"top_k":100000000000,"temperature":1,"seed":1}"#)
            #expect(reply.status == 200, "\(path): \(reply.body)")
        }
    }

    @Test func nonsenseNumbersAreBadRequests() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for body in [#"{"prompt":"hi","max_tokens":-9223372036854775808}"#, #"{"prompt":"hi","max_tokens":0}"#,
                     #"{"prompt":"hi","top_k":-1}"#, #"{"prompt":"hi","temperature":1e300}"#,
                     #"{"prompt":"hi","repetition_penalty":1e300}"#, #"{"prompt":"hi","context_length":-5}"#] {
            let reply = await harness.post("/api/generate", body)
            #expect((400..<500).contains(reply.status), "\(body): \(reply.status) \(reply.body)")
        }
    }

    /// `limits.max_prompt_tokens` was parsed and never enforced.
    @Test func maxPromptTokensIsEnforced() async throws {
        let harness = try await InProcessService.start(limits: .init(maxPromptTokens: 8))
        defer { harness.remove() }
        let long = await harness.post("/api/generate", #"{"prompt":"a prompt much longer than four tokens","max_tokens":1}"#)
        #expect(long.status == 422)
        #expect(long.body.contains("prompt_too_long") && long.body.contains("max_prompt_tokens"), "\(long.body)")
        let short = await harness.post("/api/generate", #"{"prompt":"ab","max_tokens":1}"#)
        #expect(short.status == 200, "\(short.body)")
    }

    /// A window that can never fit the budget is 422 before queueing; one that cannot
    /// fit beside running generations is 503; both name the budget.
    @Test func memoryBudgetRefusesWhatCannotFit() async throws {
        let harness = try await InProcessService.start(limits: .init(memoryBudgetMB: 16),
                                                       model: InProcessService.model(contextLength: 1 << 20))
        defer { harness.remove() }
        let huge = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":9223372036854775807}"#)
        #expect(huge.status == 422, "\(huge.body)")
        #expect(huge.body.contains("memory_budget_exceeded") && huge.body.contains("limits.memory_budget_mb"), "\(huge.body)")
        let small = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":4}"#)
        #expect(small.status == 200, "\(small.body)")

        let memory = harness.service.generation.resources.memory
        try memory.reserve(15 << 20, what: "a test holding memory")
        let busy = await harness.post("/api/generate", #"{"prompt":"hi","max_tokens":100000}"#)
        #expect(busy.status == 503, "\(busy.body)")
        #expect(busy.body.contains("memory_busy"), "\(busy.body)")
        #expect(harness.service.generation.resources.gate.active == 0, "a refused request must hand its slot on")
        memory.release(15 << 20)
        #expect(memory.reservedBytes == 0)
    }

    static func usage(_ body: String) throws -> (prompt: Int, completion: Int)? {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let usage = object["usage"] as? [String: Any],
              let prompt = usage["prompt_tokens"] as? Int, let completion = usage["completion_tokens"] as? Int
        else { return nil }
        return (prompt, completion)
    }
}
