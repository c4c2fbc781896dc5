import Foundation
import SealConfig
@testable import SealService
import Testing

/// A streamed generation passes the same gates as a plain one (issue 6, items 1-4 and 7):
/// max_tokens clamped to the window, `limits.max_prompt_tokens`, the memory budget and the
/// queue all answer before the `200` head of an event stream, as plain HTTP errors.
@Suite("Streaming admission (in process, tiny model)", .timeLimit(.minutes(1)))
struct StreamingAdmissionTests {
    static let routes = [
        ("/api/generate", #""prompt":"hi""#),
        ("/v1/completions", #""prompt":"hi""#),
        ("/v1/chat/completions", #""messages":[{"role":"user","content":"hi"}]"#),
    ]

    /// The event stream's `data:` payloads, in order.
    static func dataLines(_ body: String) -> [String] {
        body.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }

    @Test(arguments: ["9223372036854775807", "100000000000"])
    func hugeMaxTokensStreamsWithinTheWindow(maxTokens: String) async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for (path, input) in Self.routes {
            let reply = await harness.post(path, #"{\#(input),"max_tokens":\#(maxTokens),"seed":1,"stream":true}"#)
            #expect(reply.status == 200, "\(path): \(reply.body)")
            #expect(!reply.body.contains("\"code\""), "\(path): the stream carried an error: \(reply.body)")
            let data = Self.dataLines(reply.body)
            if path == "/api/generate" {
                #expect(reply.body.contains("event: done"), "\(reply.body)")
                let done = try #require(data.last, "\(reply.body)")
                let usage = try #require(try RequestBoundsTests.usage(done), "\(done)")
                #expect(usage.prompt + usage.completion <= 64, "\(done)")
            } else {
                #expect(data.last == "[DONE]", "\(path): \(reply.body)")
                #expect(reply.body.contains(#""finish_reason":"length""#) || reply.body.contains(#""finish_reason":"stop""#),
                        "\(path): \(reply.body)")
            }
        }
    }

    @Test func maxPromptTokensRefusesAStreamBeforeItStarts() async throws {
        let harness = try await InProcessService.start(limits: .init(maxPromptTokens: 8))
        defer { harness.remove() }
        let long = "a prompt much longer than eight tokens, for sure, by a wide margin"
        for (path, input) in [("/api/generate", #""prompt":"\#(long)""#), ("/v1/completions", #""prompt":"\#(long)""#),
                              ("/v1/chat/completions", #""messages":[{"role":"user","content":"\#(long)"}]"#)] {
            let reply = await harness.post(path, #"{\#(input),"max_tokens":1,"stream":true}"#)
            #expect(reply.status == 422, "\(path): \(reply.body)")
            #expect(reply.body.contains("prompt_too_long"), "\(path): \(reply.body)")
        }
    }

    @Test func memoryBudgetRefusesAStreamBeforeItStarts() async throws {
        let harness = try await InProcessService.start(limits: .init(memoryBudgetMB: 16),
                                                       model: InProcessService.model(contextLength: 1 << 20))
        defer { harness.remove() }
        let memory = harness.service.generation.resources.memory
        for (path, input) in Self.routes {
            let huge = await harness.post(path, #"{\#(input),"max_tokens":9223372036854775807,"stream":true}"#)
            #expect(huge.status == 422, "\(path): \(huge.body)")
            #expect(huge.body.contains("memory_budget_exceeded"), "\(path): \(huge.body)")

            try memory.reserve(15 << 20, what: "a test holding memory")
            let busy = await harness.post(path, #"{\#(input),"max_tokens":100000,"stream":true}"#)
            memory.release(15 << 20)
            #expect(busy.status == 503, "\(path): \(busy.body)")
            #expect(busy.body.contains("memory_busy"), "\(path): \(busy.body)")
        }
        #expect(harness.service.generation.resources.gate.active == 0, "a refused stream must hand its slot on")
        #expect(memory.reservedBytes == 0)
    }

    @Test func aFullQueueRefusesAStreamWith429() async throws {
        let harness = try await InProcessService.start(limits: .init(maxConcurrentGenerations: 1, maxQueuedGenerations: 0))
        defer { harness.remove() }
        let gate = harness.service.generation.resources.gate
        try await gate.acquire(what: "test")
        defer { gate.release() }
        for (path, input) in Self.routes {
            let reply = await harness.post(path, #"{\#(input),"max_tokens":1,"stream":true}"#)
            #expect(reply.status == 429, "\(path): \(reply.body)")
        }
    }
}
