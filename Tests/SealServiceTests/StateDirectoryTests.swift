import Foundation
import Logging
import SealAPI
import Testing
@testable import SealService

#if canImport(Glibc)
import Glibc
#endif

/// The state directory is trusted only when seald owns it and others cannot get in;
/// its files are read without following links, and only IDs of seald's shape name files.
@Suite("State directory trust", .serialized)
struct StateDirectoryTests {
    private static let logger = Logger(label: "state-test")

    /// A fresh parent directory (0755, root's) whose `state` child the test arranges.
    private func parent() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seal-state-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        return url
    }

    private func mode(_ path: String) -> mode_t {
        var status = stat()
        _ = stat(path, &status)
        return status.st_mode & 0o7777
    }

    private func refusal(_ root: URL) async -> String? {
        do {
            _ = try StateStore(root: root, logger: Self.logger)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aDirectorySealdCreatesGets0750() async throws {
        let base = try parent()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("deep/state")
        _ = try StateStore(root: root, logger: Self.logger)
        #expect(mode(root.path) == 0o750)
        #expect(mode(root.appendingPathComponent("artifacts").path) == 0o750)
        #expect(mode(root.appendingPathComponent("jobs").path) == 0o750)
    }

    @Test func anExisting0700Or0750DirectoryIsAccepted() async throws {
        for accepted: mode_t in [0o700, 0o750] {
            let base = try parent()
            defer { try? FileManager.default.removeItem(at: base) }
            let root = base.appendingPathComponent("state")
            #expect(mkdir(root.path, accepted) == 0 && chmod(root.path, accepted) == 0)
            #expect(await refusal(root) == nil)
            #expect(mode(root.path) == accepted, "an accepted mode is left alone")
        }
    }

    @Test func aDirectoryOthersCanReadIsRefused() async throws {
        let base = try parent()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("state")
        #expect(mkdir(root.path, 0o755) == 0 && chmod(root.path, 0o755) == 0)
        let message = try #require(await refusal(root))
        #expect(message.contains("has mode 755"), "\(message)")
        #expect(message.contains("chmod 0750 \(root.path)"))
        #expect(chmod(root.path, 0o770) == 0)
        #expect(await refusal(root)?.contains("has mode 770") == true, "a group-writable directory is refused too")
    }

    @Test func aDirectoryOwnedBySomeoneElseIsRefused() async throws {
        let base = try parent()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("state")
        #expect(mkdir(root.path, 0o750) == 0)
        try #require(chown(root.path, 65_534, 65_534) == 0, "the tests must run as root to chown")
        let message = try #require(await refusal(root))
        #expect(message.contains("is owned by uid 65534"), "\(message)")
        #expect(message.contains("chown"))
    }

    @Test func anArtifactSymlinkedElsewhereIsNotServed() async throws {
        let base = try parent()
        defer { try? FileManager.default.removeItem(at: base) }
        let secret = base.appendingPathComponent("secret")
        try "root:$6$hash:19000:0:99999:7:::\n".write(to: secret, atomically: true, encoding: .utf8)
        let root = base.appendingPathComponent("state")
        let store = try StateStore(root: root, logger: Self.logger)
        let artifact = try await store.saveArtifact(kind: .scaleSet, name: "x", content: ["a": 1], summary: [:])
        #expect(try await store.artifactContent(artifact.id) == Data(#"{"a":1}"#.utf8))

        let content = root.appendingPathComponent("artifacts/\(artifact.id).json")
        try FileManager.default.removeItem(at: content)
        try FileManager.default.createSymbolicLink(at: content, withDestinationURL: secret)
        await #expect(throws: ServiceError.self) { _ = try await store.artifactContent(artifact.id) }
        do {
            _ = try await store.artifactContent(artifact.id)
        } catch let error as ServiceError {
            #expect(error.message.contains("symbolic link"), "\(error)")
        }
    }

    @Test func aRecordWhoseIDWouldEscapeIsSetAside() async throws {
        let base = try parent()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("state")
        let store = try StateStore(root: root, logger: Self.logger)
        let good = try await store.saveArtifact(kind: .dataset, name: "good", content: [1], summary: [:])

        // A record file whose content names a path outside the directory.
        let evil = Artifact(id: "../../../etc/shadow", kind: .dataset, name: "evil", createdAt: Date(), sizeBytes: 1, summary: [:])
        let evilFile = root.appendingPathComponent("artifacts/ds-aaaaaaaaaa.meta.json")
        try APIJSON.encode(evil, pretty: true).write(to: evilFile)
        // A well-formed ID in a file of another name.
        let renamed = Artifact(id: "ds-bbbbbbbbbb", kind: .dataset, name: "renamed", createdAt: Date(), sizeBytes: 1, summary: [:])
        try APIJSON.encode(renamed, pretty: true).write(to: root.appendingPathComponent("artifacts/ds-cccccccccc.meta.json"))
        // A record file that is a link.
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("artifacts/ds-dddddddddd.meta.json"),
                                                   withDestinationURL: root.appendingPathComponent("artifacts/\(good.id).meta.json"))

        let reopened = try StateStore(root: root, logger: Self.logger)
        #expect(await reopened.listArtifacts().map(\.id) == [good.id])
        #expect(FileManager.default.fileExists(atPath: evilFile.path + ".corrupt"))
        await #expect(throws: ServiceError.self) { _ = try await reopened.artifactContent("../../../etc/shadow") }
    }

    @Test func recordIDsHaveOneStrictShape() {
        for valid in ["ds-0123456789", "sc-abcdefghij", "ev-zzzzzzzzzz", "job-a1b2c3d4e5"] {
            #expect(RecordID.isValid(valid), "\(valid)")
        }
        for invalid in ["", "ds-", "ds-012345678", "ds-0123456789a", "xx-0123456789", "ds-ABCDEFGHIJ", "ds-../../etc",
                        "../ds-0123456789", "ds-01234/6789", "ds-0123456789\0", "ds-０１２３４５６７８９"] {
            #expect(!RecordID.isValid(invalid), "\(invalid)")
        }
        #expect(RecordID.isValid(StateStore.makeID(prefix: "job")))
    }
}
