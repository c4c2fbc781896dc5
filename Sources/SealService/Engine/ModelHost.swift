import Foundation
import Logging
import SealAPI
import SealModel
import SealTensor
import Synchronization

/// The loaded model, swapped atomically on load/unload.
///
/// Requests take a reference to the current model and keep using it even if
/// another one is loaded meanwhile; the old one is freed when the last user
/// finishes.
public final class ModelHost: Sendable {
    public struct Loaded: Sendable {
        public let model: LanguageModel
        public let path: String
        /// Context window sessions get unless a request asks for less.
        public let contextLength: Int
        /// Scale sets already folded into o_proj, by artifact id (at most a few).
        let folded: FoldedModels
        /// How sessions of this model hold their KV cache (seald's `model.kv_cache`).
        public let kvCache: KVCachePolicy

        /// The KV cache type of a session of `capacity` positions.
        public func keyValueCache(capacity: Int) -> KVCacheStorage {
            kvCache.storage(capacity: capacity, trainedContextLength: model.configuration.trainedContextLength)
        }
    }

    /// A small most-recently-used cache of folded models.
    final class FoldedModels: Sendable {
        private let entries = Mutex<[(String, TransformerModel)]>([])

        func get(_ id: String) -> TransformerModel? { entries.withLock { list in list.first { $0.0 == id }?.1 } }

        func put(_ id: String, _ model: TransformerModel) {
            entries.withLock { list in
                list.removeAll { $0.0 == id }
                list.insert((id, model), at: 0)
                if list.count > 2 { list.removeLast() }
            }
        }
    }

    private let state = Mutex<Loaded?>(nil)
    /// Requests that arrived while a model was loading, resumed when it is done.
    private let loading = Mutex<LoadWaiters>(LoadWaiters())
    private let logger: Logger

    private struct LoadWaiters {
        var active = 0
        var waiters = WaiterQueue()
    }

    /// How loaded models hold their matrices (seald's `model.weights`), fixed for the daemon's life.
    public let weights: WeightStorage
    /// How sessions hold their KV cache (seald's `model.kv_cache`), fixed for the daemon's life.
    public let kvCache: KVCachePolicy

    public init(logger: Logger, weights: WeightStorage = .f32, kvCache: KVCachePolicy = .f32) {
        self.logger = logger
        self.weights = weights
        self.kvCache = kvCache
    }

    /// The current model, or 503 model_not_loaded.
    public func current() throws(ServiceError) -> Loaded {
        guard let loaded = state.withLock({ $0 }) else { throw ServiceError.noModel }
        return loaded
    }

    public var isLoaded: Bool { state.withLock { $0 != nil } }

    /// The current model; while one is being loaded (start-up, socket activation)
    /// waits for it instead of answering 503. The wait ends early when the task is
    /// cancelled (the request timed out or its client left): it then answers 503.
    public func currentOrLoading() async throws(ServiceError) -> Loaded {
        if let loaded = state.withLock({ $0 }) { return loaded }
        let ticket = loading.withLock { $0.waiters.ticket() }
        // Cancelled (timed out, client gone): the wait ends and `current()` answers 503 unless
        // the model arrived meanwhile.
        try? await WaiterQueue.park({ continuation in
            loading.withLock { value in value.active > 0 ? value.waiters.join(ticket, continuation) : .proceed }
        }, leave: { loading.withLock { $0.waiters.remove(ticket) } })
        return try current()
    }

    /// Marks a load as under way (requests wait for it); pair with ``endLoading()``.
    func beginLoading() { loading.withLock { $0.active += 1 } }

    func endLoading() {
        let waiters = loading.withLock { value -> [WaiterQueue.Continuation] in
            value.active -= 1
            return value.active == 0 ? value.waiters.removeAll() : []
        }
        waiters.forEach { $0.resume() }
    }

    /// Refuses anything but a regular GGUF file or a Hugging Face model directory (after symlinks):
    /// opening a FIFO blocks until a writer comes and a device may never end. In a directory the
    /// JSON files the loader reads whole must be regular files too; its tensors are opened through
    /// `MappedFile`, which refuses non-regular files itself.
    static func checkRegularFile(_ url: URL) throws(ServiceError) {
        let kind = try fileKind(url)
        if kind == S_IFDIR {
            for name in ["config.json", "tokenizer.json"] {
                let file = url.appendingPathComponent(name)
                guard try fileKind(file) == S_IFREG else {
                    throw ServiceError.unprocessable(
                        "cannot load \(url.path): \(name) in the model directory is \(describe(try fileKind(file))); it must be a regular file",
                        code: "model_load_failed")
                }
            }
            return
        }
        guard kind == S_IFREG else {
            throw ServiceError.unprocessable(
                "cannot load \(url.path): it is \(describe(kind)); a model must be a regular GGUF file or a Hugging Face model directory",
                code: "model_load_failed")
        }
    }

    private static func fileKind(_ url: URL) throws(ServiceError) -> mode_t {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw ServiceError.unprocessable("cannot load \(url.path): \(reason)", code: "model_load_failed")
        }
        return info.st_mode & S_IFMT
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: "a FIFO"
        case S_IFDIR: "a directory"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        case S_IFREG: "a regular file"
        default: "not a regular file"
        }
    }

    /// Loads a model on a compute thread and makes it current.
    public func load(path: URL, contextLength: Int?) async throws -> ModelInfo {
        try Self.checkRegularFile(path)
        logger.notice("loading model", metadata: ["path": "\(path.path)"])
        beginLoading()
        defer { endLoading() }
        let started = Date()
        let model: LanguageModel
        do {
            let storage = weights
            model = try await Compute.run(name: "seal-load") { try LanguageModel.load(from: path, weights: storage) }
        } catch let error as SealModelError {
            throw ServiceError.unprocessable("cannot load \(path.path): \(error.description)", code: "model_load_failed")
        }
        let trained = model.configuration.trainedContextLength
        if let contextLength, contextLength < 1 || contextLength > trained {
            throw ServiceError.unprocessable(
                "context_length \(contextLength) is outside 1...\(trained) (the model's trained window); longer windows need a context-extension plugin per request")
        }
        let loaded = Loaded(model: model, path: path.path, contextLength: contextLength ?? trained, folded: FoldedModels(),
                            kvCache: kvCache)
        state.withLock { $0 = loaded }
        logger.notice("model loaded", metadata: [
            "path": "\(path.path)", "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))",
            "blas_core": "\(BLAS.coreName)", "weights": "\(model.transformer.weights.storage.rawValue)",
            "weights_mb": "\(model.transformer.weights.byteCount >> 20)",
            "kv_cache": "\(kvCache.rawValue)",
        ])
        return Self.info(loaded)
    }

    @discardableResult
    public func unload() throws(ServiceError) -> ModelInfo {
        guard let loaded = state.withLock({ value -> Loaded? in defer { value = nil }; return value }) else {
            throw ServiceError.noModel
        }
        var info = Self.info(loaded)
        info.loaded = false
        return info
    }

    public var info: ModelInfo? { state.withLock { $0 }.map(Self.info) }

    package static func info(_ loaded: Loaded) -> ModelInfo {
        let c = loaded.model.configuration
        let parameters = c.matrixParameterCount + c.vocabularySize * c.modelDimension
        return ModelInfo(
            name: c.name.isEmpty ? URL(fileURLWithPath: loaded.path).lastPathComponent : c.name, path: loaded.path, loaded: true,
            architecture: c.architecture, parameters: parameters, layers: c.layerCount, heads: c.headCount,
            keyValueHeads: c.keyValueHeadCount, headDimension: c.headDimension, vocabularySize: c.vocabularySize,
            trainedContextLength: c.trainedContextLength, contextLength: loaded.contextLength,
            chatTemplate: loaded.model.chatTemplate?.name)
    }
}

extension ModelHost.Loaded {
    /// The transformer with a scale set folded in, cached by artifact id.
    func transformer(scaleSet id: String?, scales: () throws -> HeadScales) throws -> TransformerModel {
        guard let id else { return model.transformer }
        if let hit = folded.get(id) { return hit }
        let made = try model.transformer.applying(try scales(), mode: .folded)
        folded.put(id, made)
        return made
    }
}
