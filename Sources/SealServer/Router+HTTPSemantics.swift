import NIOHTTP1

/// `HEAD` and `OPTIONS` as HTTP/1.1 expects (RFC 9110 §9.3.2, §9.3.7): a `HEAD`
/// is answered by the `GET` route without its body; `OPTIONS` lists the methods
/// a path answers in `Allow` (and `OPTIONS *` those of the whole server).
extension Router {
    /// The methods `segments` answers: its routes' methods, `HEAD` wherever `GET`
    /// is, and `OPTIONS`; empty when no route has this path.
    func allowedMethods(segments: [String]) -> [HTTPMethod] {
        var methods: [HTTPMethod] = []
        for route in routes where Router.bind(route.segments, to: segments) != nil && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return Self.completed(methods)
    }

    /// Every method some route answers, for `OPTIONS *`.
    var allMethods: [HTTPMethod] {
        var methods: [HTTPMethod] = []
        for route in routes where !methods.contains(route.method) { methods.append(route.method) }
        return Self.completed(methods)
    }

    /// ``match(method:segments:)`` with `HEAD` served by the `GET` route and the
    /// `Allow` list of a 405 naming `HEAD` and `OPTIONS` too.
    func resolve(method: HTTPMethod, segments: [String]) -> Match {
        switch match(method: method == .HEAD ? .GET : method, segments: segments) {
        case .methodNotAllowed: .methodNotAllowed(allowedMethods(segments: segments))
        case let other: other
        }
    }

    /// The answer to `OPTIONS`: 204 with `Allow`, or `nil` when the path has no route.
    func optionsResponse(target: String, segments: [String]?) -> Response? {
        let methods = target == "*" ? allMethods : segments.map { allowedMethods(segments: $0) } ?? []
        guard !methods.isEmpty else { return nil }
        var headers = HTTPHeaders()
        headers.add(name: "Allow", value: methods.map(\.rawValue).joined(separator: ", "))
        return Response(status: .noContent, headers: headers)
    }

    private static func completed(_ methods: [HTTPMethod]) -> [HTTPMethod] {
        guard !methods.isEmpty else { return [] }
        var result = methods
        if result.contains(.GET) && !result.contains(.HEAD) { result.insert(.HEAD, at: (result.firstIndex(of: .GET) ?? 0) + 1) }
        if !result.contains(.OPTIONS) { result.append(.OPTIONS) }
        return result
    }
}
