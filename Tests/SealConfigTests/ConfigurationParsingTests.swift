import Foundation
import Testing
@testable import SealConfig

@Suite("Configuration parsing")
struct ConfigurationParsingTests {
    /// `etc/seald.yaml` documents every key with its default; if code and file drift, this fails.
    @Test func shippedFileEqualsDefaults() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/seald.yaml")
        let parsed = try SealdConfiguration.load(from: url)
        #expect(parsed == SealdConfiguration())
    }

    /// Every key that the struct has must appear in the shipped file (documented).
    @Test func shippedFileMentionsEveryKey() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/seald.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let keys = SealdConfiguration.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Socket.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Model.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Plugins.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Limits.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Server.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Log.CodingKeys.allCases.map(\.rawValue)
            + SealdConfiguration.Access.CodingKeys.allCases.map(\.rawValue)
        for key in keys {
            #expect(text.contains("\(key):"), "etc/seald.yaml does not document '\(key)'")
        }
    }

    @Test func emptyDocumentMeansDefaults() throws {
        #expect(try SealdConfiguration.parse(yaml: "", source: "x.yaml") == SealdConfiguration())
        #expect(try SealdConfiguration.parse(yaml: "# only a comment\n", source: "x.yaml") == SealdConfiguration())
        #expect(try SealdConfiguration.parse(yaml: "socket:\n", source: "x.yaml") == SealdConfiguration())
    }

    @Test func aDefaultContextExtensionIsRead() throws {
        let yaml = """
            model:
              context_extension:
                plugin: self-extend
                parameters: {group: 4, window: 1024, note: wide, strict: true}
            """
        let c = try SealdConfiguration.parse(yaml: yaml, source: "x.yaml")
        #expect(c.model.contextExtension == ContextExtensionDefault(
            plugin: "self-extend", parameters: ["group": .number(4), "window": .number(1024), "note": .string("wide"),
                                                "strict": .bool(true)]))
        let none = try SealdConfiguration.parse(yaml: "model:\n  context_extension: null\n", source: "x.yaml")
        #expect(none.model.contextExtension == nil)
        #expect(throws: ConfigurationError.self) {
            try SealdConfiguration.parse(yaml: "model:\n  context_extension:\n    parameters: {group: 4}\n", source: "x.yaml")
        }
        #expect(throws: ConfigurationError.self) {
            try SealdConfiguration.parse(yaml: "model:\n  context_extension:\n    plugin: yarn\n    parameters: [1, 2]\n",
                                         source: "x.yaml")
        }
        #expect(throws: ConfigurationError.self) {
            try SealdConfiguration.parse(yaml: "model:\n  context_extension:\n    plugin: yarn\n    factr: 2\n", source: "x.yaml")
        }
    }

    @Test func overridesAreRead() throws {
        let yaml = """
            socket:
              path: /tmp/s.sock
              mode: "0600"
              group: sealusers
            model:
              path: /srv/models/smollm2.gguf
              threads: 2
              context_length: 16384
            plugins:
              directories: [/opt/seal/plugins]
            state_directory: /srv/seal
            limits:
              max_concurrent_generations: 4
              max_queued_generations: 0
              max_concurrent_jobs: 2
              max_request_bytes: 4096
              max_prompt_tokens: 8000
              request_timeout_seconds: 30
            log:
              level: debug
            access:
              admin_group: sealadm
              read_group: "1001"
            """
        let c = try SealdConfiguration.parse(yaml: yaml, source: "x.yaml")
        #expect(c.socket == .init(path: "/tmp/s.sock", mode: FileMode(0o600), group: "sealusers"))
        #expect(c.model == .init(path: "/srv/models/smollm2.gguf", threads: 2, contextLength: 16384))
        #expect(c.plugins.directories == ["/opt/seal/plugins"])
        #expect(c.stateDirectory == "/srv/seal")
        #expect(c.limits == .init(maxConcurrentGenerations: 4, maxQueuedGenerations: 0, maxConcurrentJobs: 2,
                                  maxRequestBytes: 4096, maxPromptTokens: 8000, requestTimeoutSeconds: 30))
        #expect(c.log.level == .debug)
        #expect(c.access == .init(adminGroup: "sealadm", readGroup: "1001"))
    }

    @Test func unquotedModeIsReadAsOctal() throws {
        let c = try SealdConfiguration.parse(yaml: "socket:\n  mode: 0640\n", source: "x.yaml")
        #expect(c.socket.mode == FileMode(0o640))
        #expect(c.socket.mode.description == "0640")
    }

    @Test func codableRoundTripKeepsSnakeCaseAndOctalMode() throws {
        let data = try JSONEncoder().encode(SealdConfiguration())
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"max_request_bytes\":1048576"))
        #expect(json.contains("\"mode\":\"0660\""))
        #expect(try JSONDecoder().decode(SealdConfiguration.self, from: data) == SealdConfiguration())
    }
}
