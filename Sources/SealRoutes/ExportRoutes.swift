import Foundation
import SealAPI
import SealModel
import SealServer
import SealService

/// Merged exports: the loaded model with a scale set folded into o_proj, streamed to the client
/// file by file. The daemon never writes an export to disk: the client (sealctl) writes the
/// files where its user asks, with that user's permissions, like `docker save`. Reading access
/// suffices, as for generation: whoever may run the model may take it with them.
extension SealService {
    func addExportRoutes(_ router: inout Router) {
        router.get("/api/scale-sets/:id/merged") { request, _ in
            try await Reply.guarded {
                let (export, format) = try await self.mergedExport(request)
                let names = format == .gguf ? [MergedModelExport.ggufFile] : MergedModelExport.huggingFaceFiles
                var files: [MergedExportFile] = []
                for name in names {
                    let stream = try await Compute.run(name: "seal-export") { try Self.exportFile(export, format: format, name: name) }
                    files.append(MergedExportFile(name: name, sizeBytes: stream.byteCount))
                }
                let id = try request.parameter("id")
                return try Reply.json(MergedExportManifest(scaleSet: id, format: format, model: export.configuration.name,
                                                           foldedType: export.foldedType.rawValue, files: files))
            }
        }
        router.get("/api/scale-sets/:id/merged/:file") { request, context in
            try await Reply.guarded {
                let (export, format) = try await self.mergedExport(request)
                let name = try request.parameter("file")
                let stream = try await Compute.run(name: "seal-export") { try Self.exportFile(export, format: format, name: name) }
                self.logger.notice("merged export", metadata: ["scale_set": "\(export.provenance["scale_set"] ?? "")", "file": "\(name)",
                                                              "bytes": "\(stream.byteCount)"])
                return Response.stream(contentType: "application/octet-stream",
                                       headers: ["X-Seal-Size": "\(stream.byteCount)"]) { writer in
                    for index in 0..<stream.pieceCount {
                        guard context.isClientConnected else { return }
                        let bytes = try await Compute.run(name: "seal-export") { try stream.piece(at: index) }
                        try await writer.write(Data(bytes))
                    }
                }
            }
        }
    }

    /// The export a request names: its scale set (the path's id) in the `format` and `type`
    /// its query asks for.
    func mergedExport(_ request: Request) async throws -> (MergedModelExport, MergedExportFormat) {
        let id = try request.parameter("id")
        let rawFormat = request.query["format"] ?? "gguf"
        guard let format = MergedExportFormat(rawValue: rawFormat) else {
            throw ServiceError.badRequest("format must be gguf or hf, got '\(rawFormat)'")
        }
        let rawType = request.query["type"] ?? "f32"
        guard let type = MergedModelExport.FoldedType(rawValue: rawType) else {
            throw ServiceError.badRequest("type must be f32 or f16, got '\(rawType)'")
        }
        return (try await mergedExport(scaleSet: id, type: type), format)
    }
}
