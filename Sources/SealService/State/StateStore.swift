import Foundation
import Logging
import SealAPI

/// Everything the daemon produces, kept under the state directory so it
/// survives restarts: `artifacts/<id>.json` (content) with `<id>.meta.json`
/// (the listing record), and `jobs/<id>.json` (job records, rewritten on every
/// state change). All writes are atomic; unreadable files are moved aside
/// with a `.corrupt` suffix and logged rather than stopping the daemon. The directory's
/// owner and mode are checked at start, files are read without following links, and
/// only IDs of seald's own shape name files (see ``StateDirectory``).
public actor StateStore {
    public let root: URL
    let logger: Logger
    private var artifacts: [String: Artifact] = [:]
    private var jobs: [String: Job] = [:]

    var artifactsDirectory: URL { root.appendingPathComponent("artifacts") }
    var jobsDirectory: URL { root.appendingPathComponent("jobs") }

    /// The file `<id><suffix>` in `directory`; only for IDs of seald's own shape.
    func file(_ directory: URL, _ id: String, _ suffix: String) throws(ServiceError) -> URL {
        guard RecordID.isValid(id) else {
            throw .badRequest("'\(id.prefix(80))' is not a record ID (expected one of \(RecordID.prefixes.map { $0 + "-" }.joined(separator: ", ")) and ten of 0-9, a-z)")
        }
        return directory.appendingPathComponent(id + suffix)
    }

    public init(root: URL, logger: Logger) throws {
        self.root = root
        self.logger = logger
        try StateDirectory.prepare(root)
        let decoder = APIJSON.decoder()
        artifacts = Self.loadRecords(Artifact.self, in: root.appendingPathComponent("artifacts"), suffix: ".meta.json",
                                     decoder: decoder, logger: logger)
        jobs = Self.loadRecords(Job.self, in: root.appendingPathComponent("jobs"), suffix: ".json",
                                decoder: decoder, logger: logger)
    }

    private static func loadRecords<T: Decodable & Identified>(_ type: T.Type, in directory: URL, suffix: String,
                                                               decoder: JSONDecoder, logger: Logger) -> [String: T] {
        var records: [String: T] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasSuffix(suffix) && !name.hasPrefix(".") {
            if suffix == ".json" && name.hasSuffix(".checkpoint.json") { continue }
            let url = directory.appendingPathComponent(name)
            do {
                let record = try decoder.decode(T.self, from: StateDirectory.read(url))
                // The ID names files later: it must have seald's shape and match this file's name.
                guard RecordID.isValid(record.id), name == record.id + suffix else {
                    throw ServiceError.conflict("record ID '\(record.id.prefix(80))' is malformed or does not match the file name")
                }
                records[record.id] = record
            } catch {
                let aside = url.path + ".corrupt"
                logger.error("unreadable state file moved aside", metadata: ["file": "\(url.path)", "error": "\(error)"])
                rename(url.path, aside)
            }
        }
        return records
    }

    // MARK: artifacts

    public func listArtifacts(kind: ArtifactKind? = nil) -> [Artifact] {
        artifacts.values.filter { kind == nil || $0.kind == kind }.sorted { $0.createdAt < $1.createdAt }
    }

    public func artifact(_ id: String) throws(ServiceError) -> Artifact {
        guard let artifact = artifacts[id] else { throw .notFound("no artifact '\(id)'; list them with `sealctl scales list` or GET /api/artifacts") }
        return artifact
    }

    /// Stores content and its record; the content is written first so a record never points at nothing.
    public func saveArtifact<Content: Encodable>(kind: ArtifactKind, name: String, content: Content,
                                                 summary: [String: JSONValue], id chosen: String? = nil) throws -> Artifact {
        let id = chosen ?? Self.makeID(prefix: Self.prefix(of: kind))
        let data = try APIJSON.encode(content, pretty: false)
        try AtomicFile.write(data, to: file(artifactsDirectory, id, ".json"))
        let artifact = Artifact(id: id, kind: kind, name: name, createdAt: Date(), sizeBytes: data.count, summary: summary)
        try AtomicFile.write(try APIJSON.encode(artifact, pretty: true), to: file(artifactsDirectory, id, ".meta.json"))
        artifacts[id] = artifact
        return artifact
    }

    /// The prefix of job IDs (artifact IDs take their kind's, ``prefix(of:)``).
    static let jobPrefix = "job"

    static func prefix(of kind: ArtifactKind) -> String {
        switch kind {
        case .dataset: "ds"
        case .scaleSet: "sc"
        case .evalReport: "ev"
        case .gridReport: "gr"
        case .headReport: "hr"
        }
    }

    /// Writes a companion file of an artifact, `<id>.<suffix>` (a scale set's tensors in
    /// `.safetensors`): before the artifact's record, and removed with it.
    public func saveAttachment(_ data: Data, artifact id: String, suffix: String) throws -> URL {
        let url = try file(artifactsDirectory, id, ".\(suffix)")
        try AtomicFile.write(data, to: url)
        return url
    }

    public func artifactContent(_ id: String) throws -> Data {
        _ = try artifact(id)
        return try StateDirectory.read(file(artifactsDirectory, id, ".json"))
    }

    public func decodeArtifact<T: Decodable>(_ id: String, as type: T.Type, expecting kind: ArtifactKind) throws -> T {
        let record = try artifact(id)
        guard record.kind == kind else {
            throw ServiceError.unprocessable("artifact '\(id)' is a \(record.kind.rawValue), not a \(kind.rawValue)")
        }
        return try APIJSON.decoder().decode(T.self, from: try artifactContent(id))
    }

    public func deleteArtifact(_ id: String) throws {
        _ = try artifact(id)
        unlink(try file(artifactsDirectory, id, ".meta.json").path)
        unlink(try file(artifactsDirectory, id, ".json").path)
        unlink(try file(artifactsDirectory, id, ".safetensors").path)
        artifacts[id] = nil
    }

    // MARK: jobs

    public func listJobs() -> [Job] { jobs.values.sorted { $0.createdAt < $1.createdAt } }

    public func job(_ id: String) throws(ServiceError) -> Job {
        guard let job = jobs[id] else { throw .notFound("no job '\(id)'; list them with `sealctl jobs list`") }
        return job
    }

    public func saveJob(_ job: Job) throws {
        try AtomicFile.write(try APIJSON.encode(job, pretty: true), to: file(jobsDirectory, job.id, ".json"))
        jobs[job.id] = job
    }

    /// Partial results of a running job, so a restart resumes instead of starting over.
    public func saveCheckpoint<T: Encodable>(_ value: T, job id: String) throws {
        try AtomicFile.write(try APIJSON.encode(value), to: file(jobsDirectory, id, ".checkpoint.json"))
    }

    public func checkpoint<T: Decodable>(_ type: T.Type, job id: String) -> T? {
        guard let url = try? file(jobsDirectory, id, ".checkpoint.json"), let data = try? StateDirectory.read(url) else { return nil }
        return try? APIJSON.decoder().decode(T.self, from: data)
    }

    /// Removes both kinds of checkpoint: the whole-value file and the record log.
    public func removeCheckpoint(job id: String) {
        for suffix in [".checkpoint.json", CheckpointLog.suffix] {
            guard let url = try? file(jobsDirectory, id, suffix) else { continue }
            unlink(url.path)
        }
    }

    static func makeID(prefix: String) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return prefix + "-" + String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}

protocol Identified { var id: String { get } }
extension Artifact: Identified {}
extension Job: Identified {}
