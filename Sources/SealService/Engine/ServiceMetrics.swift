import Foundation
import Synchronization

/// Counters of the inference side, rendered in Prometheus text format next to
/// the HTTP server's request metrics.
public final class ServiceMetrics: Sendable {
    private struct Values {
        var activeGenerations = 0
        var generations = 0
        var promptTokens = 0
        var completionTokens = 0
        var prefillSeconds = 0.0
        var decodeSeconds = 0.0
        var lastDecodeTokensPerSecond = 0.0
        var lastPrefillTokensPerSecond = 0.0
    }

    private let values = Mutex(Values())

    public init() {}

    func generationStarted() { values.withLock { $0.activeGenerations += 1 } }
    func generationFinished() { values.withLock { $0.activeGenerations -= 1; $0.generations += 1 } }

    /// Generations that reached the compute thread (running or done), for tests.
    var startedGenerations: Int { values.withLock { $0.activeGenerations + $0.generations } }

    func recordTokens(prompt: Int, completion: Int, prefillSeconds: Double, decodeSeconds: Double) {
        values.withLock { v in
            v.promptTokens += prompt
            v.completionTokens += completion
            v.prefillSeconds += prefillSeconds
            v.decodeSeconds += decodeSeconds
            if prefillSeconds > 0 { v.lastPrefillTokensPerSecond = Double(prompt) / prefillSeconds }
            if decodeSeconds > 0 && completion > 1 { v.lastDecodeTokensPerSecond = Double(completion - 1) / decodeSeconds }
        }
    }

    /// Prometheus exposition lines for these counters plus the given gauges.
    func render(queuedGenerations: Int, runningJobs: Int, queuedJobs: Int, jobsByState: [String: Int], modelLoaded: Bool) -> String {
        let v = values.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(format(value))\n" }
        }
        metric("seal_generations_active", "gauge", "Generations running now.", [("", Double(v.activeGenerations))])
        metric("seal_generations_queued", "gauge", "Generations waiting for a slot (queue depth).", [("", Double(queuedGenerations))])
        metric("seal_generations_total", "counter", "Generations finished.", [("", Double(v.generations))])
        metric("seal_tokens_total", "counter", "Tokens processed.",
               [("{kind=\"prompt\"}", Double(v.promptTokens)), ("{kind=\"completion\"}", Double(v.completionTokens))])
        metric("seal_compute_seconds_total", "counter", "Seconds spent computing.",
               [("{phase=\"prefill\"}", v.prefillSeconds), ("{phase=\"decode\"}", v.decodeSeconds)])
        metric("seal_tokens_per_second", "gauge", "Throughput of the most recent generation.",
               [("{phase=\"prefill\"}", v.lastPrefillTokensPerSecond), ("{phase=\"decode\"}", v.lastDecodeTokensPerSecond)])
        metric("seal_jobs_running", "gauge", "Jobs running now.", [("", Double(runningJobs))])
        metric("seal_jobs_queued", "gauge", "Jobs waiting to run.", [("", Double(queuedJobs))])
        metric("seal_jobs", "gauge", "Job records by state.",
               jobsByState.sorted { $0.key < $1.key }.map { ("{state=\"\($0.key)\"}", Double($0.value)) })
        metric("seal_model_loaded", "gauge", "1 when a model is loaded.", [("", modelLoaded ? 1 : 0)])
        return out
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
