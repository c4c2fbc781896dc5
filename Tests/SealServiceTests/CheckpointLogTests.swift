import Foundation
import Logging
import SealAPI
import Testing
@testable import SealService

/// Lists of finished records (dataset samples, evaluation and grid results) are checkpointed
/// by appending one line each, so a job's checkpoint writes grow with its length, not with its
/// square; a crash can tear only the last line, which reading drops.
@Suite("Checkpoint logs")
struct CheckpointLogTests {
    struct Record: Codable, Equatable {
        var index: Int
        var text: String
    }

    private static let logger = Logger(label: "checkpoint-log-test")

    private func store() throws -> (StateStore, URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("seal-log-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: false)
        return (try StateStore(root: base.appendingPathComponent("state"), logger: Self.logger), base)
    }

    private func records(_ n: Int, from first: Int = 0) -> [Record] {
        (first..<(first + n)).map { Record(index: $0, text: "line \($0)\nwith a newline and \"quotes\"") }
    }

    @Test func appendedRecordsReadBackInOrderOneLineEach() async throws {
        let (store, base) = try store()
        defer { try? FileManager.default.removeItem(at: base) }
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        for record in records(3) { try await store.appendCheckpointRecord(record, job: id) }
        #expect(try await store.checkpointRecords(Record.self, job: id) == records(3))
        let log = try String(contentsOf: base.appendingPathComponent("state/jobs").appendingPathComponent(id + ".checkpoint.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n", omittingEmptySubsequences: false).count == 4, "three lines and the final newline")
    }

    @Test func aTornLastLineIsDroppedAndCutSoTheNextAppendIsClean() async throws {
        let (store, base) = try store()
        defer { try? FileManager.default.removeItem(at: base) }
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        for record in records(2) { try await store.appendCheckpointRecord(record, job: id) }
        let url = base.appendingPathComponent("state/jobs").appendingPathComponent(id + ".checkpoint.jsonl")
        let whole = try Data(contentsOf: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"index":2,"te"#.utf8))
        try handle.close()
        #expect(try await store.checkpointRecords(Record.self, job: id) == records(2))
        #expect(try Data(contentsOf: url) == whole, "the torn bytes are cut from the file")
        try await store.appendCheckpointRecord(records(1, from: 2)[0], job: id)
        #expect(try await store.checkpointRecords(Record.self, job: id) == records(3))
    }

    @Test func recordsAfterALineThatDoesNotDecodeAreDropped() async throws {
        let (store, base) = try store()
        defer { try? FileManager.default.removeItem(at: base) }
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        let url = base.appendingPathComponent("state/jobs").appendingPathComponent(id + ".checkpoint.jsonl")
        let good = try APIJSON.encode(records(1)[0])
        try (good + Data("\nnot json\n".utf8) + (try APIJSON.encode(records(1, from: 1)[0])) + Data("\n".utf8)).write(to: url)
        #expect(try await store.checkpointRecords(Record.self, job: id) == records(1))
    }

    @Test func aWholeListCheckpointFromAnOlderSealdMovesIntoTheLog() async throws {
        let (store, base) = try store()
        defer { try? FileManager.default.removeItem(at: base) }
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        try await store.saveCheckpoint(records(2), job: id)
        #expect(try await store.checkpointRecords(Record.self, job: id) == records(2))
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("state/jobs").appendingPathComponent(id + ".checkpoint.jsonl").path))
        try await store.appendCheckpointRecord(records(1, from: 2)[0], job: id)
        #expect(try await store.checkpointRecords(Record.self, job: id) == records(3))
        await store.removeCheckpoint(job: id)
        #expect(try await store.checkpointRecords(Record.self, job: id).isEmpty)
        #expect(await store.checkpoint([Record].self, job: id) == nil)
    }

    @Test func aLogThatCannotBeReadFailsTheJobInsteadOfRestartingIt() async throws {
        let (store, base) = try store()
        defer { try? FileManager.default.removeItem(at: base) }
        let id = StateStore.makeID(prefix: StateStore.jobPrefix)
        let url = base.appendingPathComponent("state/jobs").appendingPathComponent(id + ".checkpoint.jsonl")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        await #expect(throws: (any Error).self) { try await store.checkpointRecords(Record.self, job: id) }
    }

    @Test func aJobWithoutCheckpointHasNoRecords() async throws {
        let (store, base) = try store()
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(try await store.checkpointRecords(Record.self, job: StateStore.makeID(prefix: StateStore.jobPrefix)).isEmpty)
    }
}
