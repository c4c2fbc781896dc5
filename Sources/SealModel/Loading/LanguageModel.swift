import Foundation
import SealFormats
import SealTensor
import SealTokenizer

/// A model ready to serve: transformer, tokenizer and chat template together.
public struct LanguageModel: Sendable {
    public let transformer: TransformerModel
    public let tokenizer: Tokenizer
    /// The chat template chosen from the model's metadata (or overridden).
    public let chatTemplate: ChatTemplate?

    public var configuration: ModelConfiguration { transformer.configuration }

    public init(transformer: TransformerModel, tokenizer: Tokenizer, chatTemplate: ChatTemplate?) {
        self.transformer = transformer
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
    }

    /// Loads a GGUF file or a Hugging Face directory (`config.json`, `*.safetensors`, `tokenizer.json`).
    ///
    /// - Parameter storage: how matrices are held (``WeightStorage``); fp32, the default, is the
    ///   reference path and the only one SEAL tuning accepts.
    public static func load(from url: URL, chatTemplate override: ChatTemplate? = nil,
                            weights storage: WeightStorage = .f32) throws(SealModelError) -> LanguageModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw SealModelError(.modelNotFound(path: url.path, hint: ModelLocator.fetchHint))
        }
        return isDirectory.boolValue
            ? try loadHuggingFace(directory: url, chatTemplate: override, storage: storage)
            : try loadGGUF(file: url, chatTemplate: override, storage: storage)
    }

    static func loadGGUF(file url: URL, chatTemplate override: ChatTemplate?,
                         storage: WeightStorage = .f32) throws(SealModelError) -> LanguageModel {
        let file: GGUFFile
        do { file = try GGUFFile(contentsOf: url) } catch { throw SealModelError(error) }
        let configuration = try ModelConfiguration(gguf: file)
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(ggufMetadata: file.metadata) } catch {
            throw SealModelError(.tokenizer("\(url.path): \(error)"))
        }
        let weights = try WeightLoader(store: file, naming: .gguf, configuration: configuration).load(storage: storage)
        return try assemble(configuration, weights, tokenizer, source: url.path, override: override)
    }

    static func loadHuggingFace(directory: URL, chatTemplate override: ChatTemplate?,
                                storage: WeightStorage = .f32) throws(SealModelError) -> LanguageModel {
        let config: HFModelConfig
        let store: SafetensorsCheckpoint
        do {
            config = try HFModelConfig.load(from: directory)
            store = try SafetensorsCheckpoint(directory: directory)
        } catch { throw SealModelError(error) }
        let configuration = try ModelConfiguration(huggingFace: config, directory: directory, store: store)
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        let tokenizerConfig = directory.appendingPathComponent("tokenizer_config.json")
        let tokenizer: Tokenizer
        do {
            tokenizer = try Tokenizer(
                tokenizerJSON: tokenizerURL,
                tokenizerConfig: FileManager.default.fileExists(atPath: tokenizerConfig.path) ? tokenizerConfig : nil)
        } catch { throw SealModelError(.tokenizer("\(directory.path): \(error)")) }
        let weights = try WeightLoader(store: store, naming: .huggingFace, configuration: configuration).load(storage: storage)
        return try assemble(configuration, weights, tokenizer, source: directory.path, override: override)
    }

    private static func assemble(_ configuration: ModelConfiguration, _ weights: StoredWeights, _ tokenizer: Tokenizer,
                                 source: String, override: ChatTemplate?) throws(SealModelError) -> LanguageModel {
        // The embedding may be padded beyond the tokenizer (common in HF checkpoints),
        // but a tokenizer with more tokens than embedding rows cannot be served.
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw SealModelError(.vocabularyMismatch(tokenizer: tokenizer.vocabularySize,
                                                     embedding: configuration.vocabularySize), source: source)
        }
        let template = override ?? ChatTemplate.detect(fromJinja: tokenizer.chatTemplateSource)
        return LanguageModel(
            transformer: TransformerModel(configuration: configuration, weights: weights, source: source),
            tokenizer: tokenizer, chatTemplate: template)
    }
}
