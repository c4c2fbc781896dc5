import Foundation
import Logging
import SealConfig
import SealRoutes
import SealServer
import SealService
import SealTestSupport
import Testing

/// The router and docs/openapi.yaml describe the same API: same operations,
/// same admin-only ones, and the document is valid OpenAPI 3.1.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    static let root = PackagePaths.root

    func router() throws -> Router {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("seal-contract-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: state) }
        var configuration = SealdConfiguration()
        configuration.stateDirectory = state.path
        configuration.plugins.directories = []
        let service = try SealService(configuration: configuration, logger: Logger(label: "test"))
        return service.makeRouter(requestMetrics: { "" }, reloadConfiguration: { throw CancellationError() })
    }

    /// `METHOD /path/{param}` lines of the router.
    func routerOperations() throws -> [String] {
        try router().routeTable.map { route in
            let path = route.pattern.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method) \(path)"
        }.sorted()
    }

    @Test func everyOperationIsDocumentedAndEveryDocumentedOneExists() throws {
        let checker = Self.root.appendingPathComponent("Tools/api/check_openapi.py").path
        let (status, output) = try Subprocess.run("/usr/bin/env", ["python3", checker, "--routes",
                                                                   Self.root.appendingPathComponent("docs/openapi.yaml").path])
        try #require(status == 0, "check_openapi.py failed (pip install openapi-spec-validator==0.9.0):\n\(output)")
        let documented = output.split(separator: "\n").map(String.init).filter { $0.contains(" /") }.sorted()
        let served = try routerOperations()
        #expect(Set(served).subtracting(documented).sorted() == [], "served but not documented")
        #expect(Set(documented).subtracting(served).sorted() == [], "documented but not served")
    }

    @Test func adminOperationsMatchTheDocument() throws {
        let yaml = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let documentedAdminCount = yaml.components(separatedBy: "\n      x-seal-admin: true").count - 1
        let admin = try router().routeTable.filter { $0.access == .admin }
        #expect(admin.count == documentedAdminCount, "admin routes: \(admin.map { "\($0.method) \($0.pattern)" })")
        #expect(admin.allSatisfy { $0.method != "GET" }, "reading must never need admin rights")
    }

    @Test func theEmbeddedDocumentIsTheCommittedOne() throws {
        let yaml = try String(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        #expect(OpenAPIDocumentProbe.embedded == yaml, "run scripts/embed-openapi.sh")
    }
}
