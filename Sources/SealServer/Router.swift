import NIOHTTP1

/// Maps a method and a path to a handler.
///
/// Patterns are literal segments and `:name` parameters (`/v1/models/:name/load`);
/// a literal segment wins over a parameter at the same position, so
/// `/v1/models/default` can sit beside `/v1/models/:name`. Trailing slashes and
/// repeated slashes do not matter. An unknown path gets 404, a known path with
/// another method gets 405 with `Allow`. `HEAD` is answered by the `GET` route
/// and `OPTIONS` by the server (see `Router+HTTPSemantics.swift`).
///
/// Routes also state the access they need. Reads (`GET`) default to
/// ``AccessPolicy/Level/read``; `POST`, `PUT`, `PATCH` and `DELETE` default to
/// ``AccessPolicy/Level/admin`` so that a new state-changing route is closed until
/// someone opens it on purpose (`post("/v1/generate", access: .read)`).
public struct Router: Sendable {
    public typealias Handler = @Sendable (Request, Context) async throws -> Response

    struct Route: Sendable {
        var method: HTTPMethod
        var pattern: String
        var segments: [Segment]
        var access: AccessPolicy.Level
        var handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    private(set) var routes: [Route] = []

    public init() {}

    /// Every registered route as `(method, pattern, access)`, e.g. `("GET", "/api/jobs/:id", .read)`,
    /// so tests can hold the router to the API's published contract.
    public var routeTable: [(method: String, pattern: String, access: AccessPolicy.Level)] {
        routes.map { ("\($0.method)", $0.pattern, $0.access) }
    }

    public mutating func get(_ pattern: String, access: AccessPolicy.Level = .read, _ handler: @escaping Handler) {
        on(.GET, pattern, access: access, handler)
    }

    public mutating func post(_ pattern: String, access: AccessPolicy.Level = .admin, _ handler: @escaping Handler) {
        on(.POST, pattern, access: access, handler)
    }

    public mutating func put(_ pattern: String, access: AccessPolicy.Level = .admin, _ handler: @escaping Handler) {
        on(.PUT, pattern, access: access, handler)
    }

    public mutating func patch(_ pattern: String, access: AccessPolicy.Level = .admin, _ handler: @escaping Handler) {
        on(.PATCH, pattern, access: access, handler)
    }

    public mutating func delete(_ pattern: String, access: AccessPolicy.Level = .admin, _ handler: @escaping Handler) {
        on(.DELETE, pattern, access: access, handler)
    }

    /// Adds a route. Registering the same method and pattern twice is a programming
    /// error and stops the process at start-up, not at request time.
    public mutating func on(_ method: HTTPMethod, _ pattern: String, access: AccessPolicy.Level, _ handler: @escaping Handler) {
        let segments = Router.parse(pattern)
        precondition(!routes.contains { $0.method == method && $0.segments == segments },
                     "route \(method.rawValue) \(pattern) registered twice")
        routes.append(Route(method: method, pattern: pattern, segments: segments, access: access, handler: handler))
    }

    /// Answers `request` in process, without a socket, as the server would route
    /// it (404/405 included; handler errors become their error responses), so an
    /// application's routes can be tested as Hummingbird's router tests do. Access
    /// checks and timeouts belong to the server and are not applied here.
    public func respond(to request: Request, context: Context) async -> Response {
        let segments = request.path.split(separator: "/").map(String.init)
        if request.method == .OPTIONS {
            return optionsResponse(target: request.uri, segments: segments)
                ?? HTTPError(.notFound, code: "not_found", message: "no route for \(request.path)").response
        }
        switch resolve(method: request.method, segments: segments) {
        case .found(let route, let parameters):
            var request = request
            request.pathParameters = parameters
            do {
                return try await route.handler(request, context)
            } catch let error as HTTPError {
                return error.response
            } catch {
                return HTTPError.internalError().response
            }
        case .methodNotAllowed:
            return HTTPError(.methodNotAllowed, code: "method_not_allowed", message: "method not allowed").response
        case .notFound:
            return HTTPError(.notFound, code: "not_found", message: "no route for \(request.path)").response
        }
    }

    static func parse(_ pattern: String) -> [Segment] {
        pattern.split(separator: "/").map { segment in
            segment.hasPrefix(":") ? .parameter(String(segment.dropFirst())) : .literal(String(segment))
        }
    }

    func match(method: HTTPMethod, segments: [String]) -> Match {
        var best: (route: Route, parameters: [String: String], rank: [Bool])?
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let parameters = Router.bind(route.segments, to: segments) else { continue }
            guard route.method == method else {
                if !allowed.contains(route.method) { allowed.append(route.method) }
                continue
            }
            let rank = route.segments.map { if case .literal = $0 { true } else { false } }
            if best == nil || Router.outranks(rank, best?.rank ?? []) {
                best = (route, parameters, rank)
            }
        }
        if let best { return .found(best.route, parameters: best.parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    static func bind(_ pattern: [Segment], to segments: [String]) -> [String: String]? {
        guard pattern.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (expected, actual) in zip(pattern, segments) {
            switch expected {
            case .literal(let literal): guard literal == actual else { return nil }
            case .parameter(let name): parameters[name] = actual
            }
        }
        return parameters
    }

    /// Literal beats parameter at the first position where two routes differ.
    private static func outranks(_ lhs: [Bool], _ rhs: [Bool]) -> Bool {
        for (l, r) in zip(lhs, rhs) where l != r { return l }
        return false
    }
}
