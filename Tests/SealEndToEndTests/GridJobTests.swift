import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

extension LifecycleTests {
    /// Impossible grids are refused when submitted, naming what to change.
    @Test func badGridsAreRefusedAtSubmission() throws {
        let daemon = try SharedDaemon.get()
        let cases: [(String, Int, String)] = [
            (#""task": "lines", "lengths": [1000], "depths": [150], "samples_per_cell": 1"#, 400, "percentages in 0...100"),
            (#""task": "lines", "lengths": [1000, 1000], "depths": [0], "samples_per_cell": 1"#, 400, "must not repeat"),
            (#""task": "lines", "lengths": [1000], "depths": [0], "samples_per_cell": 1, "parameters": {"depth": 3}"#, 400,
             "must not set 'depth'"),
            (#""task": "lines", "lengths": [500000], "depths": [0], "samples_per_cell": 1"#, 422, "window is"),
            // Beyond the window with no method: refused, naming methods that would reach it (issue 8).
            (#""task": "passkey", "lengths": [12000], "depths": [50], "samples_per_cell": 1"#, 422,
             "context extensions that reach 122"),
            (#""task": "passkey", "lengths": [12000], "depths": [50], "samples_per_cell": 1"#, 422,
             "--extension self-extend --extension-param group="),
            (#""task": "headwise", "lengths": [100], "depths": [0], "samples_per_cell": 1"#, 422, "a task plugin is needed here"),
        ]
        for (fields, status, message) in cases {
            let (got, body) = try daemon.curl("POST", "/api/jobs", body: #"{"kind": "grid", "grid": {"# + fields + "}}")
            #expect(got == status, "\(fields): \(body)")
            #expect(errorDetail(body)?.message.contains(message) == true, "\(fields): \(body)")
        }
    }

    /// A grid killed with `kill -9` resumes without recomputing finished samples, and
    /// `sealctl eval show` draws it as a table and a well-formed SVG heatmap.
    @Test func aGridKilledMidWayKeepsItsFinishedCellsAndDrawsAHeatmap() throws {
        let daemon = try DaemonProcess()
        try daemon.start()
        let (status, body) = try daemon.curl("POST", "/api/jobs", body: """
            {"kind": "grid", "grid": {"task": "lines", "lengths": [200, 400], "depths": [0, 100], "samples_per_cell": 2,
             "seed": 5, "prime_answer": true, "max_tokens": 8, "parameters": {"index_style": "numbers"}}}
            """)
        try #require(status == 201, "\(body)")
        let id = try #require(jsonObject(body)?["id"] as? String)
        var completed = 0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && completed < 3 {
            completed = ((jsonObject(try daemon.curl("GET", "/api/jobs/\(id)").body)?["progress"] as? [String: Any])?["completed"] as? Int) ?? 0
            usleep(50_000)
        }
        daemon.kill9()
        try #require(completed >= 3 && completed < 8, "grid progressed to \(completed) of 8 before the kill")
        try daemon.start()
        let job = try daemon.waitForJob(id, timeout: 240)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        #expect(daemon.output.contains("resuming grid job at sample"))
        let report = try #require((job["artifacts"] as? [String])?.first)
        let content = try #require(jsonObject(try daemon.curl("GET", "/api/artifacts/\(report)/content").body))
        let results = try #require(content["results"] as? [[String: Any]])
        #expect(results.map { $0["index"] as? Int } == (0..<8).map { $0 }, "every sample computed exactly once")
        let firstRun = results.filter { $0["run"] as? Int == 1 }.count
        #expect(firstRun >= completed, "\(firstRun) samples kept from before the kill, \(completed) were reported done")
        #expect(results.prefix(firstRun).allSatisfy { $0["run"] as? Int == 1 }, "kept results come first")
        #expect(results.dropFirst(firstRun).allSatisfy { $0["run"] as? Int == 2 })
        #expect((content["cells"] as? [Any])?.count == 4)

        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("seal-grid-\(UUID().uuidString.prefix(6)).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let shown = try daemon.sealctl(["eval", "show", report, "--svg", svg.path], timeout: 60)
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("DEPTH \\ TOKENS") && shown.stdout.contains("95% interval"), "\(shown.stdout)")
        let parser = XMLParser(data: try Data(contentsOf: svg))
        #expect(parser.parse(), "the heatmap is not well-formed XML")
        let text = try String(contentsOf: svg, encoding: .utf8)
        #expect(text.components(separatedBy: "class=\"cell\"").count - 1 == 4)
        #expect(text.contains("class=\"legend\""))
        #expect(daemon.stop() == 0)
    }

    /// Prefix reuse (issue 9) changes nothing but the time, on the real model under plain RoPE
    /// and Self-Extend: a pass-key grid whose prompts share their filler up to the key answers
    /// alike with reuse on and off, and reuse does keep tokens.
    @Test(arguments: ["", #", "context_extension": {"plugin": "self-extend", "parameters": {"group": 4, "window": 128}}"#])
    func prefixReuseAnswersAsAFreshPrefill(extensionField: String) throws {
        let daemon = try SharedDaemon.get()
        func run(reuse: Bool) throws -> (outputs: [String], summary: String) {
            let (status, body) = try daemon.curl("POST", "/api/jobs", body: """
                {"kind": "grid", "grid": {"task": "passkey", "lengths": [700], "depths": [90, 80], "samples_per_cell": 2,
                 "seed": 3, "max_tokens": 8, "prefix_reuse": \(reuse)\(extensionField)}}
                """)
            try #require(status == 201, "\(body)")
            let job = try daemon.waitForJob(try #require(jsonObject(body)?["id"] as? String), timeout: 300)
            try #require(job["state"] as? String == "succeeded", "\(job)")
            let report = try #require((job["artifacts"] as? [String])?.first)
            let content = try #require(jsonObject(try daemon.curl("GET", "/api/artifacts/\(report)/content").body))
            let results = try #require(content["results"] as? [[String: Any]])
            return (results.map { "\($0["output"] ?? "")" }, job["summary"] as? String ?? "")
        }
        let fresh = try run(reuse: false), reused = try run(reuse: true)
        #expect(fresh.outputs.count == 4)
        #expect(reused.outputs == fresh.outputs)
        #expect(fresh.summary.contains("prefix reuse kept 0 of"), "\(fresh.summary)")
        // Each later prompt shares its filler up to a key past position 512 with the one before.
        #expect(reused.summary.contains("prefix reuse kept 1536 of"), "\(reused.summary)")
    }
}
