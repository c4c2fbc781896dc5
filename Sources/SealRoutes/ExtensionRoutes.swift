import SealAPI
import SealModel
import SealPlugins
import SealServer
import SealService

extension SealService {
    /// `GET /api/extensions/plan?target=N`: which parameters of each method reach N positions.
    func addExtensionRoutes(_ router: inout Router) {
        router.get("/api/extensions/plan") { request, _ in
            try await Reply.guarded {
                guard let target = try request.query("target", as: Int.self) else {
                    throw ServiceError.badRequest("query parameter 'target' is required, e.g. /api/extensions/plan?target=32768")
                }
                guard (1...ExtensionAdvisor.maximumTarget).contains(target) else {
                    throw ServiceError.badRequest("target \(target) is outside 1...\(ExtensionAdvisor.maximumTarget)")
                }
                let loaded = try await self.host.currentOrLoading()
                return try Reply.json(self.plugins.extensionPlan(loaded: loaded, target: target))
            }
        }
    }
}
