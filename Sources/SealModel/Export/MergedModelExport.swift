import Foundation
import SealFormats

/// A GGUF model with SEAL scales folded into o_proj, written as a GGUF file (for llama.cpp) or a
/// Hugging Face safetensors directory (for transformers, vLLM, …), so a tuned model can be served
/// by any engine at no extra cost.
///
/// Folding multiplies o_proj's input column `k` by `scale[k]`: `W_o · (s ⊙ a) = (W_o · diag(s)) · a`.
/// Every other tensor and every metadata key is copied unchanged; the folded o_proj is stored as
/// fp32 (exact) or fp16, since requantizing it would undo the precision the scales were tuned at.
public struct MergedModelExport: Sendable {
    /// Storage of the folded o_proj matrices.
    public enum FoldedType: String, Sendable, CaseIterable {
        case f32, f16
    }

    public let file: GGUFFile
    public let configuration: ModelConfiguration
    public let scales: HeadScales
    public let foldedType: FoldedType
    /// Provenance recorded in the exported files (`seal.*` GGUF keys, safetensors metadata).
    public let provenance: [String: String]

    /// The files of a Hugging Face export, in the order a client should fetch them.
    public static let huggingFaceFiles = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                                          "model.safetensors"]
    /// The name of a GGUF export.
    public static let ggufFile = "model.gguf"

    public init(modelFile url: URL, scales: HeadScales, foldedType: FoldedType = .f32,
                provenance: [String: String] = [:]) throws(SealModelError) {
        let file: GGUFFile
        do { file = try GGUFFile(contentsOf: url) } catch { throw SealModelError(error) }
        let configuration = try ModelConfiguration(gguf: file)
        try scales.validate(for: configuration)
        self.file = file
        self.configuration = configuration
        self.scales = scales
        self.foldedType = foldedType
        self.provenance = provenance
    }

    /// Layer `l`'s o_proj with the scales folded in, as fp32.
    func foldedOutput(layer l: Int) throws(SealModelError) -> [Float] {
        let name = TensorNaming.gguf.name(layer: l, .output)
        var weights: [Float]
        do { weights = try file.loadFloat32(name) } catch { throw SealModelError(error) }
        let columns = configuration.queryDimension
        guard weights.count == configuration.modelDimension * columns else {
            throw SealModelError(.shapeMismatch(tensor: name, expected: [configuration.modelDimension, columns],
                                                found: file.shape(of: name) ?? []), source: file.url.path)
        }
        weights.withUnsafeMutableBufferPointer { buffer in
            scales.fold(layer: l, into: buffer, rows: configuration.modelDimension)
        }
        return weights
    }

    func foldedBytes(layer l: Int) throws(SealModelError) -> [UInt8] {
        let values = try foldedOutput(layer: l)
        return foldedType == .f32 ? FloatBytes.float32(values) : FloatBytes.float16(values)
    }

    /// Layer index of a GGUF o_proj tensor name (`blk.N.attn_output.weight`).
    func outputLayer(_ name: String) -> Int? {
        guard name.hasPrefix("blk."), name.hasSuffix(".attn_output.weight") else { return nil }
        let middle = name.dropFirst(4).dropLast(".attn_output.weight".count)
        guard let layer = Int(middle), (0..<configuration.layerCount).contains(layer) else { return nil }
        return layer
    }

    /// The merged model as one GGUF file: same metadata (plus `seal.*` provenance), same tensors
    /// in the same order and types, except o_proj in `foldedType`.
    public func gguf() throws(SealModelError) -> ExportStream {
        var writer = GGUFWriter(alignment: file.alignment)
        for key in file.metadataKeys where key != "general.alignment" {
            if let value = file.metadata[key] { writer.addMetadata(key, value) }
        }
        for key in provenance.keys.sorted() { writer.addMetadata("seal.\(key)", .string(provenance[key] ?? "")) }
        let folded: GGMLType = foldedType == .f32 ? .f32 : .f16
        let layouts = file.tensors.map { info in
            GGUFTensorLayout(name: info.name, shape: info.shape, type: outputLayer(info.name) == nil ? info.type : folded)
        }
        let header: (bytes: [UInt8], offsets: [Int])
        do { header = try writer.header(for: layouts) } catch { throw SealModelError(error) }
        var pieces: [ExportStream.Piece] = [.bytes(header.bytes)]
        var written = 0
        for (index, info) in file.tensors.enumerated() {
            pieces.append(.zeros(header.offsets[index] - written))
            let count: Int
            do { count = try layouts[index].validatedByteCount() } catch { throw SealModelError(error) }
            if let layer = outputLayer(info.name) {
                pieces.append(.produced(count: count) { () throws(SealModelError) -> [UInt8] in try foldedBytes(layer: layer) })
            } else {
                let file = self.file
                pieces.append(.produced(count: count) { () throws(SealModelError) -> [UInt8] in Array(file.rawBytes(of: info)) })
            }
            written = header.offsets[index] + count
        }
        return ExportStream(name: Self.ggufFile, pieces: pieces)
    }
}

extension HeadScales {
    /// Multiplies column `k` of a row-major `[rows, heads × headDimension]` matrix by layer
    /// `layer`'s scale `k`: o_proj with this layer's scales folded in.
    public func fold(layer: Int, into matrix: UnsafeMutableBufferPointer<Float>, rows: Int) {
        let scales = layers[layer]
        let columns = scales.count
        precondition(matrix.count == rows * columns, "fold: matrix does not have \(rows) × \(columns) elements")
        guard let base = matrix.baseAddress else { return }
        scales.withUnsafeBufferPointer { s in
            for row in 0..<rows {
                let target = base + row * columns
                for column in 0..<columns { target[column] *= s[column] }
            }
        }
    }
}
