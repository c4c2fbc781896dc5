import Foundation
import SealModel
@testable import SealService
import SealTokenizer
import Testing

/// `logprobs`, `echo`, token prompts, `logit_bias` and the fields seal refuses, on
/// the OpenAI routes and `/api/score` (in process, tiny model). Values are
/// checked against the log-softmax of the loaded model's own logits.
@Suite("OpenAI logprobs and echo (in process, tiny model)")
struct OpenAILogprobRouteTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// log-softmax of the model's logits after each prefix of `tokens`, naively in float64.
    static func reference(_ harness: InProcessService, _ tokens: [TokenID]) async throws -> [[Double]] {
        let model = try await harness.service.host.currentOrLoading().model
        let session = try InferenceSession(model: model.transformer, capacity: 64)
        return try session.evaluate(tokens, logitsAt: Array(0..<tokens.count)).map { row in
            let total = row.reduce(0.0) { $0 + exp(Double($1)) }
            return row.map { log(exp(Double($0)) / total) }
        }
    }

    /// lm-evaluation-harness's `local-completions` log-likelihood request, as it sends it.
    @Test func harnessLoglikelihoodRequestGetsTheModelsLogSoftmax() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let prompts: [[TokenID]] = [[72, 101, 108, 108, 111, 32, 119], [84, 104, 101, 32, 99, 97, 116, 32, 115, 97, 116]]
        let reply = await harness.post("/v1/completions", """
            {"model": "tiny", "prompt": \(prompts), "max_tokens": 1, "logprobs": 1, "echo": true, "temperature": 0, "seed": 1234}
            """)
        #expect(reply.status == 200, "\(reply.body)")
        let choices = try #require(try Self.object(reply.body)["choices"] as? [[String: Any]])
        #expect(choices.count == 2)
        for (index, prompt) in prompts.enumerated() {
            let choice = choices[index]
            #expect(choice["index"] as? Int == index)
            let logprobs = try #require(choice["logprobs"] as? [String: Any], "\(choice)")
            let values = try #require(logprobs["token_logprobs"] as? [Any])
            let tops = try #require(logprobs["top_logprobs"] as? [Any])
            let offsets = try #require(logprobs["text_offset"] as? [Int])
            #expect((logprobs["tokens"] as? [String])?.count == prompt.count + 1)
            #expect(values.count == prompt.count + 1 && tops.count == prompt.count + 1 && offsets.count == prompt.count + 1)
            #expect(values.first is NSNull && tops.first is NSNull)
            #expect(offsets == Array(0...prompt.count), "one character per byte token")
            let reference = try await Self.reference(harness, prompt)
            for position in 1..<prompt.count {
                let value = try #require(values[position] as? Double)
                #expect(abs(value - reference[position - 1][Int(prompt[position])]) < 1e-4, "prompt \(index) position \(position)")
                #expect((tops[position] as? [String: Double])?.count == 1)
            }
            // The generated token: greedy, so it is the most likely one after the whole prompt.
            let last = reference[prompt.count - 1]
            let best = try #require(last.indices.max { last[$0] < last[$1] })
            #expect(abs((values[prompt.count] as? Double ?? 0) - last[best]) < 1e-4)
        }
    }

    @Test func scoreIsTheSumOfTheContinuationsEchoedLogprobs() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let context: [TokenID] = [72, 101, 108, 108]
        let continuation: [TokenID] = [111, 32, 119]
        let reply = await harness.post("/api/score", #"{"context_tokens": \#(context), "continuation_tokens": \#(continuation), "top": 2}"#)
        #expect(reply.status == 200, "\(reply.body)")
        let score = try Self.object(reply.body)
        let reference = try await Self.reference(harness, context + continuation)
        let expected = continuation.indices.reduce(0.0) { $0 + reference[context.count - 1 + $1][Int(continuation[$1])] }
        #expect(abs((score["logprob"] as? Double ?? 0) - expected) < 1e-4, "\(score)")
        let tokens = try #require(score["tokens"] as? [[String: Any]])
        #expect(tokens.map { $0["token"] as? Int } == continuation.map { Int($0) })
        #expect(tokens.allSatisfy { ($0["top"] as? [Any])?.count == 2 })
        let greedy = continuation.indices.allSatisfy { i in
            let row = reference[context.count - 1 + i]
            return row.indices.max { row[$0] < row[$1] } == Int(continuation[i])
        }
        #expect(score["greedy"] as? Bool == greedy)
        #expect(await harness.post("/api/score", #"{"context": "hi"}"#).status == 400)
        #expect(await harness.post("/api/score", #"{"context_tokens": [1], "continuation_tokens": [100000]}"#).status == 422)
    }

    @Test func chatLogprobsHaveTheChatShapeAndNativeGenerateReportsThem() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let chat = await harness.post("/v1/chat/completions", """
            {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 4, "temperature": 0,
             "logprobs": true, "top_logprobs": 3, "response_format": {"type": "text"}}
            """)
        #expect(chat.status == 200, "\(chat.body)")
        let body = try Self.object(chat.body)
        let choice = try #require((body["choices"] as? [[String: Any]])?.first)
        let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]], "\(choice)")
        #expect(content.count == (body["usage"] as? [String: Any])?["completion_tokens"] as? Int)
        for entry in content {
            #expect(entry["logprob"] is Double && entry["bytes"] is [Int] && entry["token"] is String)
            #expect((entry["top_logprobs"] as? [Any])?.count == 3)
        }
        let native = await harness.post("/api/generate", #"{"prompt_tokens": [72, 105], "max_tokens": 3, "temperature": 0, "logprobs": 2}"#)
        #expect(native.status == 200, "\(native.body)")
        let entries = try #require(try Self.object(native.body)["logprobs"] as? [[String: Any]])
        #expect(entries.count == (try Self.object(native.body)["usage"] as? [String: Any])?["completion_tokens"] as? Int)
        #expect(entries.allSatisfy { ($0["top"] as? [Any])?.count == 2 })
    }

    @Test func logitBiasForcesAToken() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let reply = await harness.post("/v1/completions", #"{"prompt": [72, 105], "max_tokens": 3, "temperature": 0, "logit_bias": {"42": 100}, "logprobs": 0}"#)
        #expect(reply.status == 200, "\(reply.body)")
        let choice = try #require((try Self.object(reply.body)["choices"] as? [[String: Any]])?.first)
        // The tiny tokenizer's id 42 is byte 39, an apostrophe.
        #expect(choice["text"] as? String == "'''", "\(choice)")
        #expect(await harness.post("/v1/completions", #"{"prompt": "hi", "logit_bias": {"99999": 1}}"#).status == 422)
        #expect(await harness.post("/v1/completions", #"{"prompt": "hi", "logit_bias": {"42": 101}}"#).status == 400)
    }

    /// Fields seal cannot honour are refused with 422 naming them, never ignored.
    /// A stream's chunks carry their tokens' log-probabilities; together they are exactly the
    /// unstreamed answer's (same greedy request), with `text_offset` running across chunks.
    @Test func streamedLogprobsAddUpToTheUnstreamedOnes() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        func payloads(_ body: String) throws -> [[String: Any]] {
            try StreamingAdmissionTests.dataLines(body).filter { $0 != "[DONE]" }.map { try Self.object($0) }
        }
        // Completions: the legacy shape's four lists, concatenated over the chunks.
        let completion = #""prompt": "The cat", "max_tokens": 12, "temperature": 0, "logprobs": 2, "stop": ["zz"]"#
        let plain = await harness.post("/v1/completions", "{\(completion)}")
        #expect(plain.status == 200, "\(plain.body)")
        let whole = try #require((try Self.object(plain.body)["choices"] as? [[String: Any]])?.first?["logprobs"] as? [String: Any])
        let streamed = await harness.post("/v1/completions", "{\(completion), \"stream\": true}")
        #expect(streamed.status == 200, "\(streamed.body)")
        var joined: [String: [Any]] = [:]
        var text = ""
        for chunk in try payloads(streamed.body) {
            let choice = try #require((chunk["choices"] as? [[String: Any]])?.first, "\(chunk)")
            text += choice["text"] as? String ?? ""
            guard let logprobs = choice["logprobs"] as? [String: Any] else { continue }
            for key in ["tokens", "token_logprobs", "top_logprobs", "text_offset"] { joined[key, default: []] += logprobs[key] as? [Any] ?? [] }
        }
        #expect(text == (try Self.object(plain.body)["choices"] as? [[String: Any]])?.first?["text"] as? String)
        #expect(joined["tokens"] as? [String] == whole["tokens"] as? [String])
        #expect(joined["token_logprobs"] as? [Double] == whole["token_logprobs"] as? [Double])
        #expect(joined["text_offset"] as? [Int] == whole["text_offset"] as? [Int])
        #expect((joined["top_logprobs"] as? [[String: Double]]) == (whole["top_logprobs"] as? [[String: Double]]))
        #expect((joined["tokens"]?.count ?? 0) > 0)

        // A stop string at the very start: no text is ever streamed, and the finishing chunk
        // carries the entries of the tokens that made the stop string, as the plain answer does.
        let free = await harness.post("/v1/completions", #"{"prompt": "The cat", "max_tokens": 12, "temperature": 0}"#)
        let freeText = try #require((try Self.object(free.body)["choices"] as? [[String: Any]])?.first?["text"] as? String)
        let stop = String(freeText.prefix(2))
        try #require(stop.count == 2, "the tiny model's answer is too short to stop in: \(freeText.debugDescription)")
        let stopping = #""prompt": "The cat", "max_tokens": 12, "temperature": 0, "logprobs": 0, "stop": [\#(String(decoding: try JSONEncoder().encode(stop), as: UTF8.self))]"#
        let stoppedPlain = try #require((try Self.object(await harness.post("/v1/completions", "{\(stopping)}").body)["choices"] as? [[String: Any]])?.first)
        let stoppedWhole = try #require((stoppedPlain["logprobs"] as? [String: Any])?["token_logprobs"] as? [Double])
        #expect(stoppedPlain["text"] as? String == "" && !stoppedWhole.isEmpty, "\(stoppedPlain)")
        let stoppedChunks = try payloads(await harness.post("/v1/completions", "{\(stopping), \"stream\": true}").body)
        let stoppedJoined = stoppedChunks.flatMap { chunk -> [Double] in
            let choice = (chunk["choices"] as? [[String: Any]])?.first
            return (choice?["logprobs"] as? [String: Any])?["token_logprobs"] as? [Double] ?? []
        }
        #expect(stoppedJoined == stoppedWhole, "\(stoppedChunks)")

        // Chat: the content entries, concatenated.
        let chat = #""messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 10, "temperature": 0, "logprobs": true, "top_logprobs": 2"#
        let chatPlain = await harness.post("/v1/chat/completions", "{\(chat)}")
        let chatWhole = try #require(((try Self.object(chatPlain.body)["choices"] as? [[String: Any]])?.first?["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
        let chatStreamed = await harness.post("/v1/chat/completions", "{\(chat), \"stream\": true}")
        var chatJoined: [[String: Any]] = []
        for chunk in try payloads(chatStreamed.body) {
            let choice = try #require((chunk["choices"] as? [[String: Any]])?.first, "\(chunk)")
            chatJoined += (choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]] ?? []
        }
        #expect(chatJoined.map { $0["token"] as? String } == chatWhole.map { $0["token"] as? String })
        #expect(chatJoined.map { $0["logprob"] as? Double } == chatWhole.map { $0["logprob"] as? Double })
        #expect(!chatWhole.isEmpty)

        // Native: `token` events' entries, concatenated, are `done`'s list.
        let native = await harness.post("/api/generate", #"{"prompt": "The cat", "max_tokens": 12, "temperature": 0, "logprobs": 1, "stream": true}"#)
        let events = try payloads(native.body)
        let done = try #require(events.last?["logprobs"] as? [[String: Any]], "\(native.body)")
        let fromTokens = events.dropLast().flatMap { $0["logprobs"] as? [[String: Any]] ?? [] }
        #expect(fromTokens.map { $0["token"] as? Int } == done.map { $0["token"] as? Int })
        #expect(fromTokens.map { $0["logprob"] as? Double } == done.map { $0["logprob"] as? Double })
    }

    @Test(arguments: [
        (#""prompt": "hi", "n": 2"#, "'n'"),
        (#""prompt": "hi", "best_of": 3"#, "'best_of'"),
        (#""prompt": "hi", "suffix": "end""#, "'suffix'"),
        (#""prompt": "hi", "presence_penalty": 0.5"#, "'presence_penalty'"),
        (#""prompt": "hi", "frequency_penalty": -1"#, "'frequency_penalty'"),
        (#""prompt": "hi", "response_format": {"type": "json_object"}"#, "'response_format'"),
        (#""prompt": "hi", "top_logprobs": 2"#, "'top_logprobs'"),
        (#""prompt": "hi", "echo": true, "stream": true"#, "'echo'"),
        (#""prompt": ["a", "b"], "stream": true"#, "'stream'"),
        (#""prompt": "hi", "stream_options": {"other": 1}"#, "'stream_options'"),
    ])
    func unsupportedFieldsAre422NamingThem(fields: String, name: String) async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        let reply = await harness.post("/v1/completions", "{\(fields)}")
        #expect(reply.status == 422, "\(fields): \(reply.body)")
        #expect(reply.body.contains(name) && reply.body.contains("unsupported_field"), "\(reply.body)")
        let chat = await harness.post("/v1/chat/completions", #"{"messages": [{"role": "user", "content": "hi"}], "echo": true}"#)
        #expect(chat.status == 422 && chat.body.contains("'echo'"), "\(chat.body)")
    }

    @Test func outOfRangeLogprobCountsAre400() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        #expect(await harness.post("/v1/completions", #"{"prompt": "hi", "logprobs": 6}"#).status == 400)
        #expect(await harness.post("/v1/completions", #"{"prompt": "hi", "logprobs": true}"#).status == 400)
        #expect(await harness.post("/v1/chat/completions", #"{"messages": [{"role": "user", "content": "hi"}], "logprobs": true, "top_logprobs": 21}"#).status == 400)
        #expect(await harness.post("/v1/completions", #"{"prompt": [], "max_tokens": 1}"#).status == 400)
        #expect(await harness.post("/v1/completions", #"{"prompt": [[1, 2], [300]], "max_tokens": 1}"#).status == 422)
        #expect(await harness.post("/api/generate", #"{"prompt_tokens": [1], "logprobs": 21}"#).status == 400)
    }
}
