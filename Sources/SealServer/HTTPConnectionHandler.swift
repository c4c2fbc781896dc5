import Logging
import NIOCore
import NIOHTTP1

/// Serves the requests of one connection, one after the other.
struct HTTPConnectionHandler: Sendable {
    let core: ServerCore
    let connection: HTTPServer.Connection
    let peer: PeerCredentials
    /// The connection's entry in the registry (made at accept time).
    let id: Int

    func run() async {
        let channel = connection.channel
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
                        core.metrics.record(method: "UNKNOWN", route: "malformed", status: 400, duration: .zero)
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
