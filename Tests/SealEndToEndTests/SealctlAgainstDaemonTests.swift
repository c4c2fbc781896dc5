import Foundation
import Testing

/// The built sealctl against the real seald (the client tests elsewhere use a
/// scripted fake server; these check the two real binaries agree).
@Suite("sealctl against the real seald (slow: real daemon)", .serialized)
struct SealctlAgainstDaemonTests {
    @Test func statusAndPluginsForPeopleAndScripts() throws {
        let daemon = try SharedDaemon.get()
        let status = try daemon.sealctl(["status"])
        #expect(status.status == 0, "\(status.stdout)")
        #expect(status.stdout.contains("Haswell") || status.stdout.contains("blas"))
        let plugins = try daemon.sealctl(["--json", "plugins", "list"])
        #expect(plugins.status == 0)
        let object = try #require(jsonObject(plugins.stdout), "not JSON: \(plugins.stdout)")
        let names = (object["plugins"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.sorted()
        #expect(names == ["channelwise", "dynamic-ntk", "headwise", "kv", "linear", "lines", "llama3", "niah", "ntk", "passkey", "self-extend", "yarn"])
    }

    @Test func generateStreamsTheAnswer() throws {
        let daemon = try SharedDaemon.get()
        let result = try daemon.sealctl(["generate", "The capital of France is Paris. The capital of Germany is",
                                         "--temperature", "0", "--max-tokens", "4"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Berlin"))
    }

    @Test func datasetAndEvaluationWithWait() throws {
        let daemon = try SharedDaemon.get()
        let made = try daemon.sealctl(["data", "create", "--task", "passkey", "--samples", "2", "--tokens", "150",
                                       "--seed", "4", "--wait"])
        #expect(made.status == 0, "\(made.stdout)")
        let dataset = try #require(made.stdout.split(whereSeparator: { " \n".contains($0) })
            .first { $0.hasPrefix("ds-") }.map(String.init), "no dataset id in: \(made.stdout)")
        let evaluated = try daemon.sealctl(["eval", "run", "--dataset", dataset, "--max-tokens", "12", "--wait"])
        #expect(evaluated.status == 0, "\(evaluated.stdout)")
        #expect(evaluated.stdout.contains("accuracy"))
    }

    @Test func refusedRequestsExitWith65AndSayWhy() throws {
        let daemon = try SharedDaemon.get()
        let result = try daemon.sealctl(["eval", "run", "--dataset", "ds-does-not-exist"])
        #expect(result.status == 65, "\(result.stdout)")
        #expect(result.stdout.contains("ds-does-not-exist"))
    }
}
