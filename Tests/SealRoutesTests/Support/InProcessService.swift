import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SealConfig
import SealRoutes
import SealServer
@testable import SealService
import SealTestSupport

/// A `SealService` on a tiny model file with its `SealRoutes` router called in process
/// (no socket, no daemon), the way Hummingbird's router tests drive an application.
struct InProcessService {
    let service: SealService
    let router: Router
    let directory: URL
    let configuration: SealdConfiguration

    /// Writes a tiny model, starts a service on it (model loaded) with `limits`.
    ///
    /// - Parameters:
    ///   - reusing: the directory of an earlier harness: its model and state are kept (a restart).
    ///   - pluginDirectories: where plugins load from (none by default).
    ///   - threads: `model.threads` (0: OpenBLAS's own choice).
    ///   - kvCache: `model.kv_cache`.
    static func start(limits: SealdConfiguration.Limits = .init(), model: TinyModelFile = Self.model(), reusing: URL? = nil,
                      pluginDirectories: [String] = [], threads: Int = 0,
                      kvCache: SealdConfiguration.Model.KVCache = .auto) async throws -> InProcessService
    {
        let directory = reusing ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("seal-service-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let file = directory.appendingPathComponent("tiny.gguf")
        if reusing == nil { try model.write(to: file) }
        var configuration = SealdConfiguration()
        configuration.model.path = file.path
        configuration.stateDirectory = directory.appendingPathComponent("state").path
        configuration.plugins.directories = pluginDirectories
        configuration.limits = limits
        configuration.model.threads = threads
        configuration.model.kvCache = kvCache
        let service = try SealService(configuration: configuration, logger: Logger(label: "seal.test.service"))
        await service.start()
        let fixed = configuration
        let router = service.makeRouter(requestMetrics: { "" }, reloadConfiguration: { try service.reload(fixed) })
        return InProcessService(service: service, router: router, directory: directory, configuration: configuration)
    }

    /// The tiny llama model with a ChatML template marker, so chat routes render.
    static func model(contextLength: Int = 64) -> TinyModelFile {
        var model = TinyModelFile(contextLength: contextLength)
        model.overrideMetadata["tokenizer.chat_template"] = .string("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}")
        return model
    }

    /// Sends `method path` with a JSON body and returns status and body text.
    func send(_ method: HTTPMethod, _ path: String, json: String? = nil) async -> (status: Int, body: String) {
        var headers = HTTPHeaders()
        var body = ByteBuffer()
        if let json {
            headers.add(name: "Content-Type", value: "application/json")
            body = ByteBuffer(string: json)
        }
        let request = Request(method: method, uri: path, path: path, headers: headers, body: body)
        let context = Context(peer: PeerCredentials(uid: getuid(), gid: getgid(), pid: getpid()))
        let response = await router.respond(to: request, context: context)
        switch response.body {
        case .data(let data):
            return (Int(response.status.code), String(decoding: data, as: UTF8.self))
        case .stream(let body):
            // Run to its end in memory, as a client reading the whole stream would see it.
            let data = (try? await ResponseBodyWriter.collect(body)) ?? Data("(stream failed)".utf8)
            return (Int(response.status.code), String(decoding: data, as: UTF8.self))
        }
    }

    func post(_ path: String, _ json: String) async -> (status: Int, body: String) {
        await send(.POST, path, json: json)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
