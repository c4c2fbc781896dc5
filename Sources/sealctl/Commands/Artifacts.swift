import ArgumentParser
import Foundation
import SealAPI
import SealClient

/// What the `list`, `export` and `delete` subcommands of `data`, `eval` and `scales` share.
enum Artifacts {
    static func list(_ kind: ArtifactKind, global: GlobalOptions, empty: String) async throws {
        guard let artifacts = try await global.fetch(Endpoints.artifacts(kind: kind)) else { return }
        var table = Table("ID", "NAME", "SIZE", "CREATED", "SUMMARY", alignments: [.left, .left, .right, .left, .left])
        for artifact in artifacts.sorted(by: { $0.createdAt > $1.createdAt }) {
            table.add(artifact.id, artifact.name, Format.bytes(artifact.sizeBytes), Format.relative(artifact.createdAt),
                      Format.summary(artifact.summary))
        }
        table.print(empty: empty)
    }

    /// The artifact's metadata as `key  value` lines.
    static func details(_ artifact: Artifact) -> Details {
        var details = Details()
        details.add("id", artifact.id)
        details.add("name", artifact.name)
        details.add("kind", artifact.kind.rawValue)
        details.add("created", "\(Format.relative(artifact.createdAt)) (\(artifact.createdAt.formatted(.iso8601)))")
        details.add("size", Format.bytes(artifact.sizeBytes))
        for key in artifact.summary.keys.sorted() {
            if let value = artifact.summary[key] { details.add(key.replacingOccurrences(of: "_", with: " "), Format.value(value)) }
        }
        return details
    }

    /// Fetches the artifact and refuses one of another kind, so `scales show` of a dataset
    /// says so instead of failing to decode.
    static func fetch(_ id: String, kind: ArtifactKind, global: GlobalOptions) async throws -> Artifact {
        let artifact = try await global.client.call(Endpoints.artifact(id))
        guard artifact.kind == kind else {
            throw SealctlError.notFound("\(id) is a \(artifact.kind.rawValue), not a \(kind.rawValue)")
        }
        return artifact
    }

    /// Writes the stored JSON to `file` (or stdout), byte for byte.
    static func export(_ id: String, to file: String?, global: GlobalOptions) async throws {
        let data = try await global.client.data(Endpoints.artifactContent(id, as: JSONValue.self))
        guard let file, file != "-" else { return printJSON(data) }
        do {
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw SealctlError.file("cannot write \(file): \(error.localizedDescription)")
        }
        Terminal.standardError.line("wrote \(Format.bytes(data.count)) to \(file)")
    }

    static func delete(_ id: String, global: GlobalOptions) async throws {
        try await global.client.delete("/api/artifacts/\(SealClient.pathSegment(id))")
        if !global.json { out("deleted \(id)") }
    }
}

/// `export ID [-o FILE]`, the same for every artifact kind.
struct ExportOptions: ParsableArguments {
    @Argument(help: "Artifact id.")
    var id: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"),
            completion: .file())
    var output: String?
}
