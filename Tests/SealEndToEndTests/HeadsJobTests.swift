import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Head analysis on the real daemon and model, kept short: one layer's 9 heads, one sample per
/// length. sealctl runs it, lists the heads and writes both pictures; the records conform to
/// the contract; a run that would cost more than its budget stops after the baseline.
@Suite("Head analysis on the real daemon (slow: real model)", .serialized)
struct HeadsJobTests {
    @Test func sealctlRunsAHeadAnalysisAndDrawsBothPictures() throws {
        let daemon = try SharedDaemon.get()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seal-heads-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let heatmap = directory.appendingPathComponent("heatmap.svg"), scatter = directory.appendingPathComponent("scatter.svg")
        let run = try daemon.sealctl(["heads", "run", "--task", "passkey", "--lengths", "100,200", "--samples", "1", "--layers", "0",
                                      "--max-tokens", "4", "--seed", "2", "--top", "3", "--wait",
                                      "--heatmap", heatmap.path, "--scatter", scatter.path], timeout: 300)
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("MOST HELPFUL") && run.stdout.contains("MOST HARMFUL"), "\(run.stdout)")
        #expect(run.stdout.contains("baseline at 100 tokens") && run.stdout.contains("baseline at 200 tokens"), "\(run.stdout)")
        let jobID = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("job job-") }?.split(separator: " ")[1])
        let report = try #require(run.stdout.split(separator: "\n").last { $0.hasPrefix("report ") }?.split(separator: " ")[1])

        for (file, element, count) in [(heatmap, "class=\"cell\"", 270), (scatter, "class=\"point\"", 9)] {
            #expect(XMLParser(data: try Data(contentsOf: file)).parse(), "\(file.lastPathComponent) is not well-formed XML")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.components(separatedBy: element).count - 1 == count, "\(file.lastPathComponent)")
            #expect(text.contains("class=\"legend\""))
        }

        let content = try #require(jsonObject(try daemon.curl("GET", "/api/artifacts/\(report)/content").body))
        let effects = try #require(content["effects"] as? [[String: Any]])
        #expect(effects.count == 9 && effects.allSatisfy { $0["layer"] as? Int == 0 })
        let shown = try daemon.sealctl(["heads", "show", String(jobID), "--top", "2", "--rank-by", "long"])
        #expect(shown.status == 0 && shown.stdout.contains("ranked by long loss change"), "\(shown.stdout)")

        // The records of this job conform to the published schemas.
        var cases: [[String: Any]] = []
        for (path, template) in [("/api/jobs/\(jobID)", "/api/jobs/{id}"), ("/api/artifacts/\(report)/content", "/api/artifacts/{id}/content"),
                                 ("/api/artifacts/\(report)", "/api/artifacts/{id}")] {
            let (status, text) = try daemon.curl("GET", path)
            cases.append(["method": "GET", "path": template, "status": status,
                          "body": try JSONSerialization.jsonObject(with: Data(text.utf8))])
        }
        let file = directory.appendingPathComponent("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: file)
        let checker = BuildProducts.packageRoot.appendingPathComponent("Tools/api/validate_responses.py").path
        let checked = try runCommand("/usr/bin/env", ["python3", checker, file.path])
        #expect(checked.status == 0, "responses that break the contract:\n\(checked.stdout)")
    }

    /// The baseline prices the run; over `max_seconds` the job stops there, saying what it would cost.
    @Test func aRunOverItsTimeBudgetStopsAfterTheBaselineWithItsCost() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "heads", "heads": {"task": "passkey", "lengths": [100, 200], "samples": 1, "max_tokens": 4, "max_seconds": 1}}
            """)
        try #require(status == 201, "\(body)")
        let id = try #require(jsonObject(body)?["id"] as? String)
        let job = try daemon.waitForJob(id, timeout: 120)
        #expect(job["state"] as? String == "failed", "\(job)")
        let error = job["error"] as? String ?? ""
        #expect(error.contains("cost: 270 heads × 2 samples") && error.contains("more than max_seconds 1"), "\(error)")
    }
}
