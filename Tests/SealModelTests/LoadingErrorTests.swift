import Foundation
import SealFormats
import SealModel
import SealTestSupport
import Testing

/// Model-level problems in otherwise well-formed files get errors that name
/// the file and say what is wrong.
@Suite("Loading errors")
struct LoadingErrorTests {
    func load(_ tiny: TinyModelFile) throws -> Result<LanguageModel, SealModelError> {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try tiny.write(to: url)
        do { return .success(try LanguageModel.load(from: url)) } catch { return .failure(error) }
    }

    func expectFailure(_ tiny: TinyModelFile, kind: SealModelError.Kind, mentions: [String]) throws {
        switch try load(tiny) {
        case .success: Issue.record("loaded a model that should have been refused (\(kind))")
        case .failure(let error):
            #expect(error.kind == kind)
            for text in mentions + ["tiny.gguf"] {
                #expect(error.description.contains(text), "message lacks '\(text)': \(error.description)")
            }
        }
    }

    @Test func aWellFormedTinyModelLoadsAndRuns() throws {
        let model = try load(TinyModelFile()).get()
        let session = try InferenceSession(model: model.transformer)
        let logits = try session.append([1, 50, 60])
        #expect(logits.count == 259)
        #expect(logits.allSatisfy { $0.isFinite })
    }

    @Test func missingTensor() throws {
        var tiny = TinyModelFile()
        tiny.omitTensor = "blk.1.ffn_down.weight"
        try expectFailure(tiny, kind: .missingTensor("blk.1.ffn_down.weight"), mentions: ["blk.1.ffn_down.weight", "missing"])
    }

    @Test func vocabularyLargerThanTheEmbedding() throws {
        var tiny = TinyModelFile()
        tiny.embeddingRows = 100
        try expectFailure(tiny, kind: .vocabularyMismatch(tokenizer: 259, embedding: 100), mentions: ["259", "100"])
    }

    @Test func tensorShapeContradictsTheConfiguration() throws {
        var tiny = TinyModelFile()
        tiny.overrideShape = ("blk.0.attn_q.weight", [6, 8])
        try expectFailure(tiny, kind: .shapeMismatch(tensor: "blk.0.attn_q.weight", expected: [8, 8], found: [6, 8]),
                          mentions: ["blk.0.attn_q.weight", "[6, 8]"])
    }

    @Test func unsupportedArchitecture() throws {
        var tiny = TinyModelFile()
        tiny.architecture = "gpt2"
        try expectFailure(tiny, kind: .unsupportedArchitecture("gpt2"), mentions: ["gpt2", "not supported"])
    }

    @Test func headCountThatDoesNotDivide() throws {
        var tiny = TinyModelFile()
        tiny.overrideMetadata["llama.attention.head_count_kv"] = .uint32(3)
        switch try load(tiny) {
        case .success: Issue.record("accepted 3 KV heads for 2 query heads")
        case .failure(let error): #expect(error.description.contains("key/value head count"))
        }
    }

    @Test func malformedFileReportsTheFormatProblem() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("broken.gguf")
        try Data("GGUF not really".utf8).write(to: url)
        #expect { try LanguageModel.load(from: url) } throws: { error in
            "\(error)".contains("broken.gguf")
        }
    }

    @Test func missingModelPathSaysHowToFetchIt() {
        #expect { try LanguageModel.load(from: URL(fileURLWithPath: "/nonexistent/model.gguf")) } throws: { error in
            "\(error)".contains("fetch-models.sh")
        }
    }

    @Test func tokensOutsideTheVocabularyAreRefused() throws {
        let model = try load(TinyModelFile()).get()
        let session = try InferenceSession(model: model.transformer)
        #expect { try session.append([1, 259]) } throws: { error in
            (error as? SealModelError)?.kind == .invalidToken(id: 259, vocabularySize: 259)
        }
    }
}
