import Foundation
import SealAPI
import SealClient

/// `scales export ID --merged --gguf FILE | --hf DIR`: the daemon folds the scale set into the
/// loaded model's o_proj and streams the files; sealctl writes them here, as the calling user.
enum MergedExport {
    static func run(id: String, gguf: String?, hf: String?, type: String, global: GlobalOptions) async throws {
        if let gguf {
            let manifest = try await fetchManifest(id: id, format: .gguf, type: type, global: global)
            guard let file = manifest.files.first, manifest.files.count == 1 else {
                throw SealctlError.usage("the daemon described a GGUF export with \(manifest.files.count) files")
            }
            try await download(id: id, file: file, format: .gguf, type: type, to: URL(fileURLWithPath: gguf), global: global)
        }
        if let hf {
            let directory = URL(fileURLWithPath: hf, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw SealctlError.file("cannot create \(hf): \(error.localizedDescription)")
            }
            let manifest = try await fetchManifest(id: id, format: .hf, type: type, global: global)
            for file in manifest.files {
                guard file.name == URL(fileURLWithPath: file.name).lastPathComponent, !file.name.hasPrefix(".") else {
                    throw SealctlError.usage("the daemon named an export file '\(file.name)', which is not a plain file name")
                }
                try await download(id: id, file: file, format: .hf, type: type,
                                   to: directory.appendingPathComponent(file.name), global: global)
            }
        }
    }

    static func fetchManifest(id: String, format: MergedExportFormat, type: String, global: GlobalOptions) async throws -> MergedExportManifest {
        try await global.client.call(Endpoints.mergedExport(id, format: format, type: type))
    }

    static func download(id: String, file: MergedExportFile, format: MergedExportFormat, type: String, to url: URL,
                         global: GlobalOptions) async throws {
        let path = Endpoints.mergedExportFile(id, file: file.name, format: format, type: type).path
        let size: Int
        do {
            size = try await global.client.download(path, to: url, expectedSize: file.sizeBytes)
        } catch let error as CocoaError {
            let where_ = (error.userInfo[NSFilePathErrorKey] as? String) ?? url.path
            throw SealctlError.file("cannot write \(where_) (\(url.deletingLastPathComponent().path) must be a writable directory)")
        }
        Terminal.standardError.line("wrote \(url.path) (\(Format.bytes(size)))")
    }
}
