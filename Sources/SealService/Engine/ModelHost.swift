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
        var nextID: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    public init(logger: Logger) {
        self.logger = logger
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
        let id = loading.withLock { value -> UInt64 in
            value.nextID += 1
            return value.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let wait = loading.withLock { value -> Bool in
                    guard value.active > 0, !Task.isCancelled else { return false }
                    value.waiters.append((id, continuation))
                    return true
                }
                if !wait { continuation.resume() }
            }
        } onCancel: {
            let removed = loading.withLock { value -> CheckedContinuation<Void, Never>? in
                guard let index = value.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return value.waiters.remove(at: index).continuation
            }
            removed?.resume()
        }
        return try current()
    }

    /// Marks a load as under way (requests wait for it); pair with ``endLoading()``.
    func beginLoading() { loading.withLock { $0.active += 1 } }

    func endLoading() {
        let waiters = loading.withLock { value -> [CheckedContinuation<Void, Never>] in
            value.active -= 1
            guard value.active == 0 else { return [] }
            defer { value.waiters = [] }
            return value.waiters.map(\.continuation)
        }
        waiters.forEach { $0.resume() }
    }

    /// Refuses anything but a regular file (after symlinks): opening a FIFO
    /// blocks until a writer comes, a device may never end, a directory is no model.
    static func checkRegularFile(_ url: URL) throws(ServiceError) {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw ServiceError.unprocessable("cannot load \(url.path): \(reason)", code: "model_load_failed")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind = switch info.st_mode & S_IFMT {
            case S_IFIFO: "a FIFO"
            case S_IFDIR: "a directory"
            case S_IFCHR, S_IFBLK: "a device"
            case S_IFSOCK: "a socket"
            default: "not a regular file"
            }
            throw ServiceError.unprocessable("cannot load \(url.path): it is \(kind); a model must be a regular GGUF file",
                                             code: "model_load_failed")
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
            model = try await Compute.run(name: "seal-load") { try LanguageModel.load(from: path) }
        } catch let error as SealModelError {
            throw ServiceError.unprocessable("cannot load \(path.path): \(error.description)", code: "model_load_failed")
        }
        let trained = model.configuration.trainedContextLength
        if let contextLength, contextLength < 1 || contextLength > trained {
            throw ServiceError.unprocessable(
                "context_length \(contextLength) is outside 1...\(trained) (the model's trained window); longer windows need a context-extension plugin per request")
        }
        let loaded = Loaded(model: model, path: path.path, contextLength: contextLength ?? trained, folded: FoldedModels())
        state.withLock { $0 = loaded }
        logger.notice("model loaded", metadata: [
            "path": "\(path.path)", "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))",
            "blas_core": "\(BLAS.coreName)", "weights_mb": "\(model.transformer.weights.byteCount >> 20)",
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

    static func info(_ loaded: Loaded) -> ModelInfo {
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
