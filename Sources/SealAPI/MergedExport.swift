/// The two shapes of a merged export (`GET /api/scale-sets/{id}/merged`).
public enum MergedExportFormat: String, Codable, Sendable, CaseIterable {
    /// One GGUF file for llama.cpp and the engines built on it.
    case gguf
    /// A Hugging Face directory: config, tokenizer files and `model.safetensors`.
    case hf
}

/// One file of a merged export and its exact size.
public struct MergedExportFile: Codable, Sendable, Equatable {
    public var name: String
    public var sizeBytes: Int
    public init(name: String, sizeBytes: Int) {
        self.name = name
        self.sizeBytes = sizeBytes
    }
}

/// What a merged export consists of; each file is then fetched from
/// `GET /api/scale-sets/{id}/merged/{file}` with the same query.
public struct MergedExportManifest: Codable, Sendable, Equatable {
    public var scaleSet: String
    public var format: MergedExportFormat
    /// The loaded model the scales are folded into.
    public var model: String
    /// Storage of the folded o_proj in a GGUF export: `f32` (exact) or `f16`.
    public var foldedType: String
    public var files: [MergedExportFile]
    public init(scaleSet: String, format: MergedExportFormat, model: String, foldedType: String, files: [MergedExportFile]) {
        self.scaleSet = scaleSet
        self.format = format
        self.model = model
        self.foldedType = foldedType
        self.files = files
    }
}
