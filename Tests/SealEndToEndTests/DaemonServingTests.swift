import Foundation
import Testing

/// The real seald binary with the real model, driven over its socket with curl.
@Suite("seald serves the API (slow: real daemon and model)", .serialized)
struct DaemonServingTests {
    @Test func statusReportsModelBLASAndPlugins() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("GET", "/api/status")
        #expect(status == 200)
        let object = try #require(jsonObject(body))
        let model = try #require(object["model"] as? [String: Any])
        #expect(model["layers"] as? Int == 30)
        #expect(model["chat_template"] as? String == "chatml")
        #expect((object["blas"] as? [String: Any])?["core"] as? String != nil)
        #expect(object["plugins"] as? Int == 12)
    }

    @Test func generatesAnAnswerThroughTheChatTemplate() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/api/generate", body: """
            {"messages": [{"role": "user", "content": "What is the capital of Germany?"}], "temperature": 0, "max_tokens": 30}
            """)
        #expect(status == 200, "\(body)")
        let object = try #require(jsonObject(body))
        #expect((object["text"] as? String)?.contains("Berlin") == true, "\(body)")
        #expect(object["finish_reason"] as? String == "stop")
        #expect((object["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 37)
    }

    @Test func streamsTokensAsServerSentEvents() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/api/generate", body: """
            {"prompt": "The capital of France is Paris. The capital of Germany is", "temperature": 0, "max_tokens": 6, "stream": true}
            """, extra: ["-N"])
        #expect(status == 200)
        let tokens = body.components(separatedBy: "event: token\n").count - 1
        #expect(tokens == 6, "\(body)")
        #expect(body.contains("event: done"))
        #expect(body.contains("Berlin"))
    }

    @Test func tokenizeMatchesTheModelVocabulary() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/api/tokenize", body: #"{"text": "Hello world", "add_special_tokens": false}"#)
        #expect(status == 200)
        #expect(jsonObject(body)?["count"] as? Int == 2)
    }

    @Test func openAICompletionsAndChat() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/v1/chat/completions", body: """
            {"model": "smollm2", "messages": [{"role": "user", "content": "What is the capital of Germany?"}], "temperature": 0, "max_tokens": 20}
            """)
        #expect(status == 200, "\(body)")
        let object = try #require(jsonObject(body))
        #expect(object["object"] as? String == "chat.completion")
        let message = ((object["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
        #expect(message?.contains("Berlin") == true)

        let (streamStatus, stream) = try daemon.curl("POST", "/v1/completions", body: """
            {"prompt": "Once upon a time", "max_tokens": 5, "stream": true, "seed": 1}
            """, extra: ["-N"])
        #expect(streamStatus == 200)
        #expect(stream.contains("\"object\":\"text_completion\""))
        #expect(stream.hasSuffix("data: [DONE]\n\n") || stream.contains("data: [DONE]"))

        let (modelsStatus, models) = try daemon.curl("GET", "/v1/models")
        #expect(modelsStatus == 200 && models.contains("\"object\":\"list\""))
    }

    @Test func metricsAreInPrometheusFormat() throws {
        let daemon = try SharedDaemon.get()
        _ = try daemon.curl("POST", "/api/generate", body: #"{"prompt": "Hi", "max_tokens": 2}"#)
        let (status, body) = try daemon.curl("GET", "/metrics")
        #expect(status == 200)
        #expect(body.contains("# TYPE seal_generations_total counter"))
        #expect(body.contains("seal_http_requests_total"))
        #expect(body.contains("seal_model_loaded 1"))
    }

    @Test func servesTheCommittedOpenAPIDocument() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("GET", "/openapi.yaml")
        #expect(status == 200)
        let committed = try String(contentsOf: BuildProducts.packageRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        #expect(body == committed, "run scripts/embed-openapi.sh after editing docs/openapi.yaml")
    }

    @Test func linearInterpolationWidensTheWindow() throws {
        let daemon = try SharedDaemon.get()
        let (plain, plainBody) = try daemon.curl("POST", "/api/generate", body: #"{"prompt": "Hi", "max_tokens": 2, "context_length": 12000}"#)
        #expect(plain == 422, "\(plainBody)")
        let (extended, body) = try daemon.curl("POST", "/api/generate", body: """
            {"prompt": "Hi", "max_tokens": 2, "context_length": 12000, "context_extension": {"plugin": "linear", "parameters": {"factor": 2}}}
            """)
        #expect(extended == 200, "\(body)")
    }
}
