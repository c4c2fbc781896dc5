import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A reload the service refuses (422 `invalid_configuration`) keeps the configuration in
/// force whole: the server's access policy and limits as well as the service's settings.
@Suite("Refused reloads (slow: real daemon)", .serialized)
struct ReloadRefusalTests {
    @Test func aRefusedReloadChangesNeitherTheAccessPolicyNorTheLimits() throws {
        guard getuid() == 0 else {
            Issue.record("needs root to act as another user (CI runs as root)")
            return
        }
        let daemon = try DaemonProcess(model: nil, extraConfig: "limits:\n  max_request_bytes: 1000\n")
        // Let any local user connect, so an unprivileged peer reaches the access check.
        let initial = try String(contentsOf: daemon.configURL, encoding: .utf8)
            .replacingOccurrences(of: "mode: \"0600\"", with: "mode: \"0666\"")
        try initial.write(to: daemon.configURL, atomically: true, encoding: .utf8)
        try daemon.start()
        defer { daemon.stop() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: daemon.directory.path)
        func nobodyUnloads() throws -> String {
            try runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/curl", "-s",
                                                "-w", "\n%{http_code}", "--unix-socket", daemon.socketPath, "-X", "POST",
                                                "http://localhost/api/models/unload"]).stdout
        }
        let body = #"{"text":"\#(String(repeating: "a", count: 2000))"}"#
        #expect(try nobodyUnloads().hasSuffix("403"))

        // Nobody's group becomes admin and the body limit rises, but the default context
        // extension is one the plugin refuses: the whole reload is refused.
        let granting = initial.replacingOccurrences(of: "max_request_bytes: 1000", with: "max_request_bytes: 100000")
            + "access:\n  admin_group: \"65534\"\n"
        try (granting + "model:\n  context_extension:\n    plugin: self-extend\n    parameters: {window: 0.5}\n")
            .write(to: daemon.configURL, atomically: true, encoding: .utf8)
        let (refused, answer) = try daemon.curl("POST", "/api/reload")
        #expect(refused == 422, "\(answer)")
        #expect(errorDetail(answer)?.code == "invalid_configuration", "\(answer)")
        #expect(try nobodyUnloads().hasSuffix("403"), "a refused reload changed the access policy")
        #expect(try daemon.curl("POST", "/api/tokenize", body: body).status == 413, "a refused reload changed the limits")

        // The same change without the bad default is applied, access and limits alike.
        try granting.write(to: daemon.configURL, atomically: true, encoding: .utf8)
        let (applied, appliedAnswer) = try daemon.curl("POST", "/api/reload")
        #expect(applied == 200, "\(appliedAnswer)")
        #expect(try !nobodyUnloads().hasSuffix("403"), "the reload did not apply the access policy")
        #expect(try daemon.curl("POST", "/api/tokenize", body: body).status != 413)
    }
}
