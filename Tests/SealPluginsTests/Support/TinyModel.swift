import Foundation
import SealModel
import SealTestSupport

/// A tiny llama model with deterministic weights and a byte-level SentencePiece
/// vocabulary (SealTestSupport.TinyModelFile), loaded through the normal loader.
enum TinyModel {
    static let contextLength = 64

    static func load() throws -> LanguageModel {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tiny.gguf")
        try TinyModelFile(contextLength: contextLength).write(to: url)
        return try LanguageModel.load(from: url)
    }
}
