import SealAPI
import SealServer
import SealService

extension SealService {
    /// `POST /api/score`: log-likelihood of a continuation (read access, like generation).
    func addScoreRoutes(_ router: inout Router) {
        router.post("/api/score", access: .read) { request, context in
            try await Reply.guarded {
                let body = try request.apiBody(ScoreRequest.self)
                let flag = CancellationFlag()
                context.onClientDisconnect { flag.cancel() }
                return try Reply.json(try await self.generation.score(body) { flag.isCancelled })
            }
        }
    }
}
