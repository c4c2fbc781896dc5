import Foundation
import Testing

/// Context extension through the real daemon: the plugins' own refusals are the client's
/// mistake (422 `plugin_rejected`), an overlong prompt names the methods that would reach
/// it, the plan route answers `sealctl extend plan`, and seald.yaml's default applies and is
/// checked at start.
@Suite("Context extension in seald (slow: real daemon and model)", .serialized)
struct ContextExtensionDaemonTests {
    @Test func aParameterThePluginRefusesIs422WithItsMessage() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("POST", "/api/generate", body: """
            {"prompt": "Hi", "max_tokens": 2, "context_extension": {"plugin": "self-extend", "parameters": {"window": 100000}}}
            """)
        #expect(status == 422, "\(body)")
        let detail = try #require(errorDetail(body), "\(body)")
        #expect(detail.code == "plugin_rejected")
        #expect(detail.message.contains("self-extend") && detail.message.contains("below the trained context 8192"), "\(body)")
        #expect(try daemon.curl("GET", "/api/health").status == 200)
    }

    @Test func aPromptBeyondTheWindowNamesTheMethodsThatReachIt() throws {
        let daemon = try SharedDaemon.get()
        let words = String(repeating: "sea ", count: 9000)
        let (status, body) = try daemon.curl("POST", "/api/generate", body: #"{"prompt": "\#(words)", "max_tokens": 4}"#)
        #expect(status == 422, "\(body.prefix(300))")
        let detail = try #require(errorDetail(body), "\(body.prefix(300))")
        #expect(detail.code == "context_overflow")
        for expected in ["context window is 8192", "--extension self-extend --extension-param group=", "--extension yarn",
                         "sealctl extend plan --target"] {
            #expect(detail.message.contains(expected), "lacks '\(expected)': \(detail.message)")
        }
    }

    @Test func thePlanRouteAndSealctlExtendPlan() throws {
        let daemon = try SharedDaemon.get()
        let (status, body) = try daemon.curl("GET", "/api/extensions/plan?target=32768")
        #expect(status == 200, "\(body)")
        let object = try #require(jsonObject(body))
        #expect(object["trained_context"] as? Int == 8192)
        let methods = try #require(object["methods"] as? [[String: Any]])
        #expect(Set(methods.compactMap { $0["plugin"] as? String }).isSuperset(of: ["self-extend", "yarn", "ntk", "linear"]))
        #expect(methods.allSatisfy { ($0["effective_context"] as? Int ?? 0) >= 32768 }, "\(body)")
        let table = try #require(object["self_extend"] as? [[String: Any]])
        #expect(table.contains { $0["group"] as? Int == 8 && $0["window"] as? Int == 2048 && $0["effective_context"] as? Int == 51200 })
        #expect(try daemon.curl("GET", "/api/extensions/plan?target=0").status == 400)
        #expect(try daemon.curl("GET", "/api/extensions/plan").status == 400)

        let printed = try daemon.sealctl(["extend", "plan", "--target", "32768"], timeout: 60)
        #expect(printed.status == 0, "\(printed.stdout)")
        #expect(printed.stdout.contains("self-extend") && printed.stdout.contains("51200"), "\(printed.stdout)")
    }

    @Test func theConfiguredDefaultAppliesAndABadOneStopsTheStart() throws {
        let good = try DaemonProcess(extraConfig: "  context_extension:\n    plugin: self-extend\n    parameters: {group: 4, window: 1024}\n")
        try good.start()
        defer { _ = good.stop() }
        let (status, body) = try good.curl("POST", "/api/generate", body: #"{"prompt": "Hi", "max_tokens": 2, "context_length": 12000}"#)
        #expect(status == 200, "\(body)")
        #expect(jsonObject(body)?["context_extension"] as? String == "self-extend", "\(body)")
        let (plain, plainBody) = try good.curl("POST", "/api/generate", body: """
            {"prompt": "Hi", "max_tokens": 2, "context_length": 12000, "context_extension": {"plugin": "none"}}
            """)
        #expect(plain == 422, "\(plainBody)")

        let bad = try DaemonProcess(extraConfig: "  context_extension:\n    plugin: self-extend\n    parameters: {window: 0.5}\n")
        #expect { try bad.start() } throws: { error in
            guard case DaemonError.exited(_, let output) = error else { return false }
            return output.contains("model.context_extension") && output.contains("window")
        }
    }
}
