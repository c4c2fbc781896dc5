import Foundation
import Testing
@testable import SealConfig

/// Each kind of mistake is reported with the file, the line and the key path.
@Suite("Configuration errors")
struct ConfigurationErrorTests {
    private func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try SealdConfiguration.parse(yaml: yaml, source: "seald.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func badIntegerNamesKeyPathAndLine() throws {
        let yaml = """
            # comment
            socket:
              path: /run/seal/seald.sock
            log:
              level: info
            limits:
              max_concurrent_generations: two
            """
        let e = try #require(error(yaml))
        #expect(e.line == 7)
        #expect(e.keyPath == "limits.max_concurrent_generations")
        #expect(e.description == #"seald.yaml:7: limits.max_concurrent_generations: expected an integer in 1...256 generations, got "two""#)
    }

    @Test func unknownTopLevelKeySuggestsTheNearestOne() throws {
        let e = try #require(error("log:\n  level: info\nsokcet:\n  path: /x\n"))
        #expect(e.reason == .unknownKey("sokcet", suggestion: "socket"))
        #expect(e.description == "seald.yaml:3: unknown key 'sokcet' (did you mean 'socket'?)")
    }

    @Test func unknownNestedKeyNamesItsSection() throws {
        let e = try #require(error("limits:\n  max_request_byte: 10\n"))
        #expect(e.description == "seald.yaml:2: unknown key 'max_request_byte' in 'limits' (did you mean 'max_request_bytes'?)")
        let far = try #require(error("limits:\n  colour: blue\n"))
        #expect(far.reason == .unknownKey("colour", suggestion: nil))
    }

    @Test func zeroAndNegativeLimitsAreRejected() throws {
        let zero = try #require(error("limits:\n  max_concurrent_jobs: 0\n"))
        #expect(zero.description == "seald.yaml:2: limits.max_concurrent_jobs: expected an integer in 1...64 jobs, got 0")
        let negative = try #require(error("limits:\n  request_timeout_seconds: -5\n"))
        #expect(negative.keyPath == "limits.request_timeout_seconds")
        #expect(error("limits:\n  max_queued_generations: -1\n") != nil)
        #expect(error("model:\n  threads: -1\n") != nil)
        #expect(error("model:\n  context_length: 0\n") != nil)
    }

    @Test func relativePathsAreRejected() throws {
        let e = try #require(error("state_directory: var/lib/seal\n"))
        #expect(e.description == #"seald.yaml:1: state_directory: expected an absolute path, got "var/lib/seal""#)
        let socket = try #require(error("socket:\n  path: seald.sock\n"))
        #expect(socket.keyPath == "socket.path")
        let plugin = try #require(error("plugins:\n  directories:\n    - /ok\n    - relative/dir\n"))
        #expect(plugin.line == 4)
        #expect(plugin.keyPath == "plugins.directories")
        #expect(error("model:\n  path: models/x.gguf\n")?.keyPath == "model.path")
    }

    @Test func overlongSocketPathIsRejected() throws {
        let long = "/" + String(repeating: "a", count: 120)
        #expect(error("socket:\n  path: \(long)\n")?.keyPath == "socket.path")
    }

    @Test func nonOctalModeIsRejected() throws {
        let e = try #require(error("socket:\n  mode: \"0698\"\n"))
        #expect(e.description == #"seald.yaml:2: socket.mode: expected an octal mode such as "0660", got "0698""#)
        #expect(error("socket:\n  mode: rw-rw----\n") != nil)
        #expect(error("socket:\n  mode: \"4755\"\n") != nil) // no setuid bits on a socket
    }

    @Test func unknownLogLevelIsRejected() throws {
        let e = try #require(error("log:\n  level: verbose\n"))
        #expect(e.description == #"seald.yaml:2: log.level: expected one of trace, debug, info, notice, warning, error, critical, got "verbose""#)
    }

    @Test func wrongShapesAreRejected() throws {
        #expect(error("limits: 5\n")?.description == "seald.yaml:1: limits: expected a mapping of keys, got 5")
        #expect(error("- a\n- b\n")?.description == "seald.yaml:1: expected a mapping of keys, got a list")
        #expect(error("plugins:\n  directories: /usr/lib\n")?.keyPath == "plugins.directories")
        #expect(error("state_directory: null\n")?.keyPath == "state_directory")
        #expect(error("access:\n  admin_group: \"bad group\"\n")?.keyPath == "access.admin_group")
    }

    @Test func duplicateKeysAreRejected() throws {
        let e = try #require(error("log:\n  level: info\nlog:\n  level: debug\n"))
        guard case .duplicateKey(let key) = e.reason else {
            Issue.record("expected a duplicate key error, got \(e)")
            return
        }
        #expect(key == "log")
        #expect(e.line == 3, "the repeat is reported, not the first occurrence")
        #expect(e.description == "seald.yaml:3: key 'log' appears more than once")
        let nested = try #require(error("limits:\n  max_concurrent_jobs: 1\n  max_concurrent_jobs: 2\n"))
        #expect(nested.line == 3)
    }

    @Test func syntaxErrorsCarryTheLine() throws {
        let e = try #require(error("socket:\n  path: /x\n   mode: \"0660\"\n  group: [unclosed\n"))
        guard case .syntax = e.reason else {
            Issue.record("expected a syntax error, got \(e)")
            return
        }
        #expect(e.line != nil)
        #expect(e.description.hasPrefix("seald.yaml:"))
    }

    @Test func unreadableFileNamesThePath() throws {
        let url = URL(fileURLWithPath: "/nonexistent/seal/seald.yaml")
        do {
            _ = try SealdConfiguration.load(from: url)
            Issue.record("loading a missing file succeeded")
        } catch {
            #expect(error.line == nil)
            #expect(error.description.hasPrefix("/nonexistent/seal/seald.yaml: cannot read the configuration"))
        }
    }

    @Test func editDistanceCountsTranspositionsOnce() {
        #expect(editDistance("sokcet", "socket") == 1)
        #expect(editDistance("", "abc") == 3)
        #expect(closestKey(to: "limts", among: ["limits", "log"]) == "limits")
    }
}
