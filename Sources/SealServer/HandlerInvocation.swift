import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Runs a route's handler and writes its response, racing it against the request
/// timeout and the client's disconnection: whichever comes first cancels the handler.
struct HandlerInvocation: Sendable {
    let core: ServerCore
    let responses: ResponseChannel
    let lifetime: ConnectionLifetime
    let version: HTTPVersion
    let requestID: String
    let logger: Logger
    /// A `HEAD` request: the `GET` route's head goes out (with the `Content-Length`
    /// its body would have), the body does not.
    var headOnly = false

    /// Status recorded for a request whose client left before it was answered (nginx's convention).
    static let clientClosedRequest: UInt = 499

    enum Produced: Sendable {
        /// The response went out entirely.
        case completed(status: UInt, keepAlive: Bool)
        /// The head went out, the rest did not: the connection must close.
        case aborted(status: UInt)
        /// Cancelled before anything was written.
        case cancelled
    }

    private enum Event: Sendable {
        case produced(Produced)
        case disconnected
        case timedOut
        case stood
    }

    func run(_ handler: @escaping Router.Handler, request: Request, context: Context,
             keepAlive: Bool) async -> (status: UInt, keepAlive: Bool) {
        let timeout = core.limits.current.requestTimeout
        let lifetime = self.lifetime
        let (produced, reason) = await withTaskGroup(of: Event.self) { group -> (Produced, Event?) in
            group.addTask { .produced(await self.produce(handler, request: request, context: context, keepAlive: keepAlive)) }
            group.addTask {
                await lifetime.waitForClose()
                return lifetime.isClosed ? .disconnected : .stood
            }
            if let timeout {
                group.addTask { (try? await Task.sleep(for: timeout)) != nil ? .timedOut : .stood }
            }
            var produced = Produced.cancelled
            var reason: Event?
            while let event = await group.next() {
                switch event {
                case .produced(let result):
                    produced = result
                    group.cancelAll()
                case .disconnected, .timedOut:
                    if reason == nil { reason = event }
                    group.cancelAll()
                case .stood:
                    break
                }
            }
            return (produced, reason)
        }
        switch produced {
        case .completed(let status, let keepAlive):
            return (status, keepAlive)
        case .aborted(let status):
            return (status, false)
        case .cancelled:
            guard case .timedOut = reason, !lifetime.isClosed else {
                logger.debug("client disconnected before the response")
                return (Self.clientClosedRequest, false)
            }
            logger.warning("request timed out", metadata: ["timeout": "\(timeout.map { "\($0)" } ?? "none")"])
            let error = HTTPError.unavailable("the request took longer than the server's request timeout", code: "timeout")
            try? await responses.send(error, version: version, keepAlive: false, requestID: requestID)
            return (error.status.code, false)
        }
    }

    private func produce(_ handler: Router.Handler, request: Request, context: Context, keepAlive: Bool) async -> Produced {
        var response: Response
        do {
            response = try await handler(request, context)
        } catch let error as HTTPError {
            response = error.response
        } catch {
            if Task.isCancelled { return .cancelled }
            logger.error("handler failed", metadata: ["error": "\(error)"])
            response = HTTPError.internalError().response
        }
        // A cancelled handler's answer is dropped: the caller decides what the client gets.
        if Task.isCancelled { return .cancelled }
        // A shutdown that began while the handler ran closes the connection after this response.
        let keepAlive = keepAlive && !core.registry.isDraining
        let status = response.status.code
        switch response.body {
        case .data(let data):
            do {
                try await responses.send(response, body: responses.allocator.buffer(bytes: data), version: version,
                                         keepAlive: keepAlive, requestID: requestID, omitBody: headOnly)
            } catch {
                return .aborted(status: status)
            }
            return .completed(status: status, keepAlive: keepAlive)

        case .stream(let body):
            // HTTP/1.0 has no chunked encoding: the body ends when the connection does.
            let streamKeepAlive = keepAlive && (version.major, version.minor) >= (1, 1)
            var headers = response.headers
            headers.remove(name: "Content-Length")
            let head = ResponseChannel.head(response.status, headers: headers, version: version,
                                            keepAlive: streamKeepAlive, requestID: requestID)
            do {
                try await responses.write(.head(head))
                if !headOnly { try await body(ResponseBodyWriter(connection: responses, lifetime: lifetime)) }
                try await responses.write(.end(nil))
            } catch let error as HTTPServerError where error.kind == .clientDisconnected {
                logger.debug("client disconnected during the stream")
                return .aborted(status: status)
            } catch is CancellationError {
                logger.info("stream cancelled")
                return .aborted(status: status)
            } catch {
                if lifetime.isClosed {
                    logger.debug("client disconnected during the stream", metadata: ["error": "\(error)"])
                } else {
                    logger.error("stream failed; closing the connection", metadata: ["error": "\(error)"])
                }
                return .aborted(status: status)
            }
            return .completed(status: status, keepAlive: streamKeepAlive)
        }
    }
}
