import Foundation
import SealTestSupport
import Testing

/// TCP without TCP in seald: `systemd-socket-proxyd`, as `packaging/seald-tcp.service`
/// runs it, started by hand (under `systemd-socket-activate`, as another user) in
/// front of a real seald; and the `openai` Python SDK driving seald over the Unix
/// socket and over that proxy (slow: real daemon and model).
@Suite("TCP proxy and the openai SDK (slow: real daemon)", .serialized)
struct TCPProxyClientTests {
    static let proxyd = "/lib/systemd/systemd-socket-proxyd"
    static let activate = "/usr/bin/systemd-socket-activate"
    /// nobody: not root, not the daemon's user, in no admin group, like the unit's DynamicUser.
    static let proxyUser = "65534"

    /// A daemon, its socket opened to everyone (as group `seal` is in the packaged
    /// units), and a proxy on a free loopback port running as `nobody`.
    struct Setup {
        let daemon: DaemonProcess
        let proxy: Subprocess
        let base: String

        func stop() {
            // SIGKILL: the relay holds no state, and a child spawned from a test thread may
            // inherit a signal mask that blocks SIGTERM.
            proxy.kill(SIGKILL)
            _ = proxy.wait()
            daemon.stop()
            try? FileManager.default.removeItem(at: daemon.directory)
        }

        func curl(_ method: String, _ path: String, body: String? = nil, extra: [String] = []) throws -> (status: Int, body: String) {
            var arguments = ["-s", "-S", "-N", "-X", method, "-w", "\n%{http_code}", base + path] + extra
            if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
            let result = try runCommand("/usr/bin/curl", arguments)
            guard let newline = result.stdout.lastIndex(of: "\n"),
                  let status = Int(result.stdout[result.stdout.index(after: newline)...]) else { return (0, result.stdout) }
            return (status, String(result.stdout[..<newline]))
        }
    }

    static func start() throws -> Setup {
        try #require(getuid() == 0, "the proxy must run as another user than the daemon's (setpriv needs root)")
        for tool in [proxyd, activate, "/usr/bin/setpriv", "/usr/bin/curl"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing (install systemd, util-linux, curl)")
        }
        let daemon = try DaemonProcess()
        try daemon.start()
        chmod(daemon.directory.path, 0o755)
        chmod(daemon.socketPath, 0o666)
        let port = try freeLoopbackPort()
        let proxy = try Subprocess(activate, ["-l", "127.0.0.1:\(port)", "/usr/bin/setpriv", "--reuid=\(proxyUser)",
                                              "--regid=\(proxyUser)", "--clear-groups", proxyd, daemon.socketPath])
        let setup = Setup(daemon: daemon, proxy: proxy, base: "http://127.0.0.1:\(port)")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? setup.curl("GET", "/api/health"))?.status == 200 { return setup }
            usleep(100_000)
        }
        setup.stop()
        throw DaemonError.notReady("the proxy on port \(port) never answered")
    }

    /// A port nothing listens on now (bound to 0 and released).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Reading and generating pass; state changes are refused, naming the proxy's uid.
    @Test func tcpClientsMayReadAndGenerateButNotChangeState() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        #expect(try setup.curl("GET", "/api/status").status == 200)
        let completion = try setup.curl("POST", "/v1/completions", body: #"{"prompt": "Hello", "max_tokens": 2}"#)
        #expect(completion.status == 200, "\(completion.body)")
        #expect(try setup.curl("POST", "/api/score", body: #"{"context": "Hello", "continuation": " world"}"#).status == 200)
        for (path, body) in [("/api/models/unload", "{}"), ("/api/reload", "{}"), ("/api/plugins/reload", "{}"),
                             ("/api/jobs", #"{"kind": "dataset", "dataset": {"task": "passkey", "samples": 1, "target_tokens": 100}}"#)] {
            let reply = try setup.curl("POST", path, body: body)
            #expect(reply.status == 403, "\(path): \(reply.body)")
            #expect(errorDetail(reply.body)?.message.contains("uid \(Self.proxyUser)") == true, "\(reply.body)")
        }
        // The same request over the Unix socket, as root, is not refused: the split is the proxy's user.
        #expect(try setup.daemon.curl("POST", "/api/plugins/reload", body: "{}").status == 200)
        // HEAD and OPTIONS pass through too.
        let options = try setup.curl("OPTIONS", "/v1/completions", extra: ["-i"])
        #expect(options.status == 204 && options.body.lowercased().contains("allow: post, options"), "\(options.body)")
    }

    @Test func streamingPassesThroughTheProxy() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        let native = try setup.curl("POST", "/api/generate", body: #"{"prompt": "Once upon a time", "max_tokens": 4, "stream": true, "temperature": 0}"#)
        #expect(native.status == 200)
        #expect(native.body.components(separatedBy: "event: token").count - 1 >= 2, "\(native.body)")
        #expect(native.body.contains("event: done"), "\(native.body)")
        let chat = try setup.curl("POST", "/v1/chat/completions",
                                  body: #"{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4, "stream": true}"#)
        #expect(chat.status == 200)
        #expect(chat.body.contains("chat.completion.chunk") && chat.body.hasSuffix("data: [DONE]\n\n"), "\(chat.body)")
    }

    /// The openai SDK from PyPI (Tools/clients/requirements.txt), over the socket and over the proxy.
    @Test func theOpenAIPythonSDKWorksOverTheSocketAndOverTheProxy() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        let script = BuildProducts.packageRoot.appendingPathComponent("Tools/clients/openai_sdk_check.py").path
        for target in [["--socket", setup.daemon.socketPath], ["--base-url", setup.base]] {
            let result = try runCommand("/usr/bin/env", ["python3", script] + target, timeout: 300)
            #expect(result.status == 0, "\(target): pip install -r Tools/clients/requirements.txt\n\(result.stdout)")
            #expect(result.stdout.contains("\n8 passed, 0 failed"), "\(target):\n\(result.stdout)")
        }
    }

    /// lm-evaluation-harness from PyPI runs a local multiple-choice task offline through
    /// the proxy; its log-likelihoods (from `echo` + `logprobs`) equal `/api/score`'s.
    @Test func lmEvaluationHarnessScoresALocalTaskThroughTheProxy() throws {
        let setup = try Self.start()
        defer { setup.stop() }
        let model = try #require(BuildProducts.defaultModel, "default model missing: run scripts/fetch-models.sh")
        let script = BuildProducts.packageRoot.appendingPathComponent("Tools/clients/lm_eval_check.py").path
        let result = try runCommand("/usr/bin/env", ["python3", script, "--base-url", setup.base, "--model", model.path], timeout: 900)
        #expect(result.status == 0, "pip install -r Tools/clients/requirements.txt\n\(result.stdout)")
        #expect(result.stdout.contains("\n6 passed, 0 failed"), "\(result.stdout)")
    }
}
