import Foundation
import SealAPI
import SealModel

/// Merged exports: the loaded model with a scale set folded into o_proj, made file by file
/// for the client to write (the daemon never writes an export to disk).
extension SealService {
    package static func exportFile(_ export: MergedModelExport, format: MergedExportFormat, name: String) throws -> ExportStream {
        do {
            switch format {
            case .gguf:
                guard name == MergedModelExport.ggufFile else {
                    throw ServiceError.notFound("a GGUF export has one file, \(MergedModelExport.ggufFile); got '\(name)'")
                }
                return try export.gguf()
            case .hf:
                guard MergedModelExport.huggingFaceFiles.contains(name) else {
                    throw ServiceError.notFound("a Hugging Face export has the files \(MergedModelExport.huggingFaceFiles.joined(separator: ", ")); got '\(name)'")
                }
                return try export.huggingFace(name)
            }
        } catch let error as SealModelError {
            throw ServiceError.unprocessable(error.description, code: "export_failed")
        }
    }

    /// The loaded model (which must come from a GGUF file) with scale set `id` folded in.
    package func mergedExport(scaleSet id: String, type: MergedModelExport.FoldedType) async throws -> MergedModelExport {
        let loaded = try await host.currentOrLoading()
        guard loaded.path.hasSuffix(".gguf") else {
            throw ServiceError.unprocessable("merged exports are made from a GGUF model; the loaded model is \(loaded.path)", code: "export_failed")
        }
        // The id is in the path: an unknown one is 404 here (a generation request's is 422).
        guard try await store.artifact(id).kind == .scaleSet else { throw ServiceError.notFound("\(id) is not a scale set") }
        let content = try await generation.scaleSetContent(id, for: loaded.model.configuration)
        let scales = HeadScales(layers: content.scales.map { $0.map(Float.init) })
        let provenance = ["scale_set": id, "strategy": content.strategy, "source_model": URL(fileURLWithPath: loaded.path).lastPathComponent]
        do {
            let export = try await Compute.run(name: "seal-export") {
                try MergedModelExport(modelFile: URL(fileURLWithPath: loaded.path), scales: scales, foldedType: type, provenance: provenance)
            }
            return export
        } catch let error as SealModelError {
            throw ServiceError.unprocessable("scale set '\(id)': \(error.description)", code: "export_failed")
        }
    }
}
