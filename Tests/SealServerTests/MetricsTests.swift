import Foundation
import SealServer
import Testing

@Suite("Metrics")
struct MetricsTests {
    @Test func prometheusTextFormat() {
        let registry = MetricsRegistry()
        registry.counter("seal_tokens_total", help: "Tokens generated.", labels: ["model": "smol\"lm"]).increment(by: 3)
        registry.gauge("seal_queue_depth", help: "Waiting generations.\nPer model.").set(2.5)
        let histogram = registry.histogram("seal_prompt_tokens", help: "Prompt lengths.", buckets: [10, 100])
        for value in [5.0, 50, 500] { histogram.observe(value) }
        registry.addCollector { registry.gauge("seal_collected", help: "Set at scrape time.").set(7) }
        let text = registry.renderPrometheus()
        #expect(text == """
            # HELP seal_collected Set at scrape time.
            # TYPE seal_collected gauge
            seal_collected 7
            # HELP seal_prompt_tokens Prompt lengths.
            # TYPE seal_prompt_tokens histogram
            seal_prompt_tokens_bucket{le="10"} 1
            seal_prompt_tokens_bucket{le="100"} 2
            seal_prompt_tokens_bucket{le="+Inf"} 3
            seal_prompt_tokens_sum 555
            seal_prompt_tokens_count 3
            # HELP seal_queue_depth Waiting generations.\\nPer model.
            # TYPE seal_queue_depth gauge
            seal_queue_depth 2.5
            # HELP seal_tokens_total Tokens generated.
            # TYPE seal_tokens_total counter
            seal_tokens_total{model="smol\\"lm"} 3

            """)
    }

    @Test func sameNameAndLabelsGiveTheSameSeries() {
        let registry = MetricsRegistry()
        registry.counter("c_total", help: "c", labels: ["a": "1", "b": "2"]).increment()
        registry.counter("c_total", help: "c", labels: ["b": "2", "a": "1"]).increment()
        #expect(registry.counter("c_total", help: "c", labels: ["a": "1", "b": "2"]).current == 2)
    }

    @Test func serverRecordsRequestsPerRouteAndStatus() async throws {
        var router = Router()
        router.get("/v1/models/:name") { _, _ in .text("ok") }
        let metrics = MetricsRegistry()
        router.get("/metrics") { _, _ in .text(metrics.renderPrometheus(), contentType: MetricsRegistry.prometheusContentType) }
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/m.sock"
        let server = HTTPServer(configuration: .init(listener: .unixSocket(path: path)), router: router,
                                logger: quietLogger, metrics: metrics)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            try await waitForSocket(path)
            let scrape = try await onThread {
                let client = try RawHTTPClient(path: path)
                _ = try client.request("GET", "/v1/models/a")
                _ = try client.request("GET", "/v1/models/b")
                _ = try client.request("GET", "/nowhere")
                return try client.request("GET", "/metrics")
            }
            #expect(scrape.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(scrape.text.contains(#"seal_http_requests_total{method="GET",route="/v1/models/:name",status="200"} 2"#))
            #expect(scrape.text.contains(#"seal_http_requests_total{method="GET",route="unmatched",status="404"} 1"#))
            #expect(scrape.text.contains(#"seal_http_request_duration_seconds_count{method="GET",route="/v1/models/:name"} 2"#))
            #expect(scrape.text.contains("seal_http_connections 1"))
            #expect(scrape.text.contains("seal_http_requests_in_flight 1"))
            await server.shutdown()
            try await tasks.waitForAll()
        }
    }
}
