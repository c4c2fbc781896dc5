import Foundation
import Testing

/// Real responses of the real daemon validate against docs/openapi.yaml's
/// schemas (Tools/api/validate_responses.py, openapi-schema-validator).
@Suite("Responses conform to the OpenAPI document (slow: real daemon)", .serialized)
struct ContractConformanceTests {
    @Test func responsesMatchTheirDocumentedSchemas() throws {
        let daemon = try SharedDaemon.get()
        // (method, concrete path, documented template, body)
        var requests: [(String, String, String, String?)] = [
            ("GET", "/api/health", "/api/health", nil),
            ("GET", "/api/status", "/api/status", nil),
            ("GET", "/api/models", "/api/models", nil),
            ("GET", "/api/plugins", "/api/plugins", nil),
            ("POST", "/api/tokenize", "/api/tokenize", #"{"text": "Hello world"}"#),
            ("POST", "/api/generate", "/api/generate", #"{"prompt": "Hi", "max_tokens": 3, "temperature": 0}"#),
            ("POST", "/api/generate", "/api/generate", #"{"prompt": 3}"#),
            ("POST", "/api/scale-sets", "/api/scale-sets", #"{"name": "contract", "strategy": "headwise"}"#),
            ("GET", "/api/jobs", "/api/jobs", nil),
            ("GET", "/api/artifacts", "/api/artifacts", nil),
            ("GET", "/v1/models", "/v1/models", nil),
            ("POST", "/v1/completions", "/v1/completions", #"{"prompt": "Hi", "max_tokens": 3}"#),
            ("POST", "/v1/chat/completions", "/v1/chat/completions", #"{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3}"#),
            ("POST", "/v1/completions", "/v1/completions", #"{"prompt": [[504, 3458], [30, 40, 50]], "max_tokens": 1, "logprobs": 2, "echo": true, "temperature": 0}"#),
            ("POST", "/v1/chat/completions", "/v1/chat/completions", #"{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2, "logprobs": true, "top_logprobs": 2}"#),
            ("POST", "/v1/completions", "/v1/completions", #"{"prompt": "Hi", "presence_penalty": 1}"#),
            ("POST", "/api/generate", "/api/generate", #"{"prompt_tokens": [504, 3458], "max_tokens": 2, "logprobs": 1}"#),
            ("POST", "/api/score", "/api/score", #"{"context": "The capital of France is", "continuation": " Paris", "top": 1}"#),
            ("GET", "/api/jobs/job-none", "/api/jobs/{id}", nil),
        ]
        let (_, created) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "dataset", "dataset": {"task": "passkey", "samples": 1, "target_tokens": 100}}
            """)
        if let id = jsonObject(created)?["id"] as? String {
            requests.append(("GET", "/api/jobs/\(id)", "/api/jobs/{id}", nil))
            usleep(500_000)
            if let job = jsonObject(try daemon.curl("GET", "/api/jobs/\(id)").body),
               let artifact = (job["artifacts"] as? [String])?.first {
                requests.append(("GET", "/api/artifacts/\(artifact)", "/api/artifacts/{id}", nil))
                requests.append(("GET", "/api/artifacts/\(artifact)/content", "/api/artifacts/{id}/content", nil))
            }
        }
        var cases: [[String: Any]] = []
        for (method, path, template, body) in requests {
            let (status, text) = try daemon.curl(method, path, body: body)
            let decoded = try #require(try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
                                       "\(method) \(path) answered non-JSON: \(text)")
            cases.append(["method": method, "path": template, "status": status, "body": decoded])
        }
        let file = daemon.directory.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: file)
        let checker = BuildProducts.packageRoot.appendingPathComponent("Tools/api/validate_responses.py").path
        let result = try runCommand("/usr/bin/env", ["python3", checker, file.path])
        #expect(result.status == 0, "responses that break the contract:\n\(result.stdout)")
        #expect(result.stdout.components(separatedBy: "ok   ").count - 1 == cases.count)
    }
}
