import Logging
import NIOCore
import NIOHTTP1

/// One request on a connection: read its body within the limit, route it, check
/// access, run the handler and record the outcome.
struct RequestExchange: Sendable {
    typealias Parts = NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator

    /// How reading a request body ended.
    enum Body {
        case complete(ByteBuffer)
        case tooLarge
        case malformed(String)
        case clientGone
    }

    let core: ServerCore
    let peer: PeerCredentials
    let logger: Logger
    let lifetime: ConnectionLifetime
    let responses: ResponseChannel
    let head: HTTPRequestHead

    /// Serves the request; returns whether the connection may carry another one.
    func serve(_ parts: inout Parts) async throws -> Bool {
        let start = ContinuousClock.now
        let requestID = Self.requestID(from: head.headers)
        var logger = self.logger
        logger[metadataKey: "request_id"] = "\(requestID)"
        core.metrics.inFlight.increment()
        defer { core.metrics.inFlight.decrement() }

        let target = parseTarget(head.uri)
        let match = target.map { core.router.resolve(method: head.method, segments: $0.segments) } ?? .notFound
        var routeLabel = "unmatched"
        if case .found(let route, _) = match { routeLabel = route.pattern }

        func answer(_ error: HTTPError, keepAlive: Bool) async throws -> Bool {
            let keepAlive = keepAlive && !core.registry.isDraining
            try await responses.send(error, version: head.version, keepAlive: keepAlive, requestID: requestID)
            record(status: error.status.code, route: routeLabel, start: start, logger: logger)
            return keepAlive
        }

        let limit = core.limits.current.maxRequestBodyBytes
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
            return try await answer(.payloadTooLarge(limit: limit), keepAlive: false)
        }
        if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            try await responses.write(.head(HTTPResponseHead(version: head.version, status: .continue)))
        }
        let body: ByteBuffer
        switch try await readBody(&parts, limit: limit) {
        case .complete(let buffer): body = buffer
        case .clientGone: return false
        case .tooLarge: return try await answer(.payloadTooLarge(limit: limit), keepAlive: false)
        case .malformed(let why): return try await answer(.badRequest("malformed HTTP request: \(why)"), keepAlive: false)
        }
        let keepAlive = head.isKeepAlive
        if head.method == .OPTIONS {
            guard let options = core.router.optionsResponse(target: head.uri, segments: target?.segments) else {
                return try await answer(.notFound("no route for \(head.uri)"), keepAlive: keepAlive)
            }
            let keepAlive = keepAlive && !core.registry.isDraining
            try await responses.send(options, body: responses.allocator.buffer(capacity: 0), version: head.version,
                                     keepAlive: keepAlive, requestID: requestID)
            record(status: options.status.code, route: routeLabel, start: start, logger: logger)
            return keepAlive
        }
        guard let target else {
            return try await answer(.badRequest("the request target must be a path starting with '/'"), keepAlive: keepAlive)
        }

        switch match {
        case .notFound:
            return try await answer(.notFound("no route for \(head.method.rawValue) \(target.path)"), keepAlive: keepAlive)
        case .methodNotAllowed(let allowed):
            return try await answer(.methodNotAllowed(head.method, allowed: allowed), keepAlive: keepAlive)
        case .found(let route, let parameters):
            let policy = core.accessPolicy.current
            if case .denied(let reason) = policy.check(route.access, peer: peer) {
                logger.warning("access denied", metadata: [
                    "method": "\(head.method.rawValue)", "path": "\(target.path)",
                    "access": "\(route.access.rawValue)", "reason": "\(reason)",
                ])
                return try await answer(.forbidden(reason), keepAlive: keepAlive)
            }
            let request = Request(method: head.method, uri: head.uri, path: target.path, query: target.query,
                                  headers: head.headers, body: body, pathParameters: parameters)
            let invocation = HandlerInvocation(core: core, responses: responses, lifetime: lifetime,
                                               version: head.version, requestID: requestID, logger: logger,
                                               headOnly: head.method == .HEAD)
            let scope = RequestScope(lifetime: lifetime)
            defer { scope.finish() }
            let context = Context(peer: peer, requestID: requestID, logger: logger, route: route.pattern,
                                  accessPolicy: policy, scope: scope)
            let outcome = await invocation.run(route.handler, request: request, context: context, keepAlive: keepAlive)
            record(status: outcome.status, route: route.pattern, start: start, logger: logger)
            return outcome.keepAlive
        }
    }

    private func readBody(_ parts: inout Parts, limit: Int) async throws -> Body {
        var buffer = responses.allocator.buffer(capacity: 0)
        while true {
            let part: HTTPServerRequestPart?
            do {
                part = try await parts.next()
            } catch let error as HTTPParserError {
                return .malformed("\(error)")
            }
            switch part {
            case nil:
                return .clientGone
            case .head:
                return .malformed("a request head arrived inside a body")
            case .body(var chunk):
                guard buffer.readableBytes + chunk.readableBytes <= limit else { return .tooLarge }
                buffer.writeBuffer(&chunk)
            case .end:
                return .complete(buffer)
            }
        }
    }

    private func record(status: UInt, route: String, start: ContinuousClock.Instant, logger: Logger) {
        let duration = ContinuousClock.now - start
        core.metrics.record(method: head.method.rawValue, route: route, status: status, duration: duration)
        let level: Logger.Level = status >= 500 ? .error : head.method == .GET ? .debug : .info
        let milliseconds = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        logger.log(level: level, "\(head.method.rawValue) \(head.uri) \(status)", metadata: [
            "duration_ms": "\((milliseconds * 10).rounded() / 10)",
        ])
    }

    /// The client's `X-Request-ID` when it is short and plain, else 16 random hex digits.
    static func requestID(from headers: HTTPHeaders) -> String {
        if let given = headers.first(name: "x-request-id"), (1...64).contains(given.utf8.count),
           given.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) })
        {
            return given
        }
        return newRequestID()
    }

    static func newRequestID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
