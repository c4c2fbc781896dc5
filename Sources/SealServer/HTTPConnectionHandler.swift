import Logging
import NIOCore
import NIOHTTP1

/// Serves the requests of one connection, one after the other.
struct HTTPConnectionHandler: Sendable {
    let core: ServerCore
    let connection: HTTPServer.Connection
    let peer: PeerCredentials

    /// How reading a request body ended.
    enum Body {
        case complete(ByteBuffer)
        case tooLarge
        case malformed(String)
        case clientGone
    }

    func run() async {
        let channel = connection.channel
        guard let id = core.registry.register(channel) else {
            channel.close(promise: nil)
            return
        }
        core.metrics.connections.increment()
        defer {
            core.metrics.connections.decrement()
            core.registry.unregister(id)
        }
        var logger = core.logger
        logger[metadataKey: "peer_uid"] = "\(peer.uid)"
        logger[metadataKey: "peer_pid"] = "\(peer.pid)"
        let lifetime = ConnectionLifetime(closeFuture: channel.closeFuture)
        let responses = ResponseChannel(channel: channel)
        do {
            try await connection.executeThenClose { inbound, _ in
                var parts = inbound.makeAsyncIterator()
                while true {
                    let head: HTTPRequestHead
                    do {
                        guard let part = try await parts.next() else { return }
                        guard case .head(let received) = part else {
                            try await reject(.badRequest("expected a request head"), responses, version: .http1_1)
                            return
                        }
                        head = received
                    } catch let error as HTTPParserError {
                        logger.notice("malformed request", metadata: ["error": "\(error)"])
                        try await reject(.badRequest("malformed HTTP request: \(error)"), responses, version: .http1_1)
                        return
                    }
                    guard core.registry.beginRequest(id) else {
                        try await reject(.unavailable("the daemon is shutting down", code: "shutting_down"),
                                         responses, version: head.version)
                        return
                    }
                    let exchange = RequestExchange(core: core, peer: peer, logger: logger, lifetime: lifetime,
                                                   responses: responses, head: head)
                    let keepAlive = try await exchange.serve(&parts)
                    guard core.registry.endRequest(id), keepAlive else { return }
                }
            }
        } catch {
            logger.debug("connection closed", metadata: ["error": "\(error)"])
        }
    }

    private func reject(_ error: HTTPError, _ responses: ResponseChannel, version: HTTPVersion) async throws {
        try await responses.send(error, version: version, keepAlive: false, requestID: RequestExchange.newRequestID())
    }
}
