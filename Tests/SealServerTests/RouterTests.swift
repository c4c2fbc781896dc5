import NIOHTTP1
import Testing
@testable import SealServer

@Suite("Router")
struct RouterTests {
    private func router() -> Router {
        var router = Router()
        router.get("/v1/models") { _, _ in .text("list") }
        router.get("/v1/models/:name") { _, _ in .text("one") }
        router.post("/v1/models/:name/load") { _, _ in .text("load") }
        router.get("/v1/models/default/info") { _, _ in .text("default") }
        router.get("/v1/:kind/:id/info") { _, _ in .text("generic") }
        return router
    }

    private func pattern(_ method: HTTPMethod, _ path: String) -> String? {
        guard let target = parseTarget(path),
              case .found(let route, _) = router().match(method: method, segments: target.segments) else { return nil }
        return route.pattern
    }

    @Test func literalSegmentsBeatParameters() {
        #expect(pattern(.GET, "/v1/models/default/info") == "/v1/models/default/info")
        #expect(pattern(.GET, "/v1/models/other/info") == "/v1/:kind/:id/info")
        #expect(pattern(.GET, "/v1/models/") == "/v1/models")
        #expect(pattern(.GET, "//v1//models/x") == "/v1/models/:name")
    }

    @Test func parametersArePercentDecodedPerSegment() throws {
        let target = try #require(parseTarget("/v1/models/a%2Fb?x=1+2&y=%C3%A9&flag"))
        guard case .found(_, let parameters) = router().match(method: .GET, segments: target.segments) else {
            Issue.record("no match")
            return
        }
        #expect(parameters == ["name": "a/b"])
        #expect(target.query == ["x": "1 2", "y": "é", "flag": ""])
    }

    @Test func methodMismatchListsAllowedMethods() {
        guard case .methodNotAllowed(let allowed) = router().match(method: .DELETE, segments: ["v1", "models", "x", "load"]) else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.POST])
        guard case .notFound = router().match(method: .GET, segments: ["v2"]) else {
            Issue.record("expected 404")
            return
        }
    }

    @Test func stateChangingMethodsDefaultToAdmin() {
        let routes = router().routes
        #expect(routes.first { $0.method == .POST }?.access == .admin)
        #expect(routes.first { $0.method == .GET }?.access == .read)
    }

    @Test func nonOriginTargetsAreRejected() {
        #expect(parseTarget("http://example/v1") == nil)
        #expect(parseTarget("*") == nil)
        #expect(parseTarget("/bad%zz") == nil)
    }
}
