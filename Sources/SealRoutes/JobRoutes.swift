import Foundation
import SealAPI
import SealModel
import SealServer
import SealService

extension SealService {
    func addJobRoutes(_ router: inout Router) {
        router.post("/api/jobs") { request, _ in
            try await Reply.guarded {
                let body = try request.apiBody(CreateJobRequest.self)
                return try Reply.json(try await self.jobs.create(body), status: .created)
            }
        }
        router.get("/api/jobs") { _, _ in try Reply.json(await self.store.listJobs()) }
        router.get("/api/jobs/:id") { request, _ in
            try await Reply.guarded { try Reply.json(try await self.store.job(try request.parameter("id"))) }
        }
        router.post("/api/jobs/:id/cancel") { request, _ in
            try await Reply.guarded { try Reply.json(try await self.jobs.cancel(try request.parameter("id"))) }
        }
        router.get("/api/jobs/:id/events") { request, context in
            try await Reply.guarded {
                let updates = try await self.jobs.follow(try request.parameter("id"))
                return Response.serverSentEvents { events in
                    for await job in updates {
                        guard context.isClientConnected else { return }
                        try await events.send(event: job.state.isFinished ? "done" : "progress", json: job,
                                              encoder: APIJSON.encoder())
                    }
                }
            }
        }
    }

    func addArtifactRoutes(_ router: inout Router) {
        router.get("/api/artifacts") { request, _ in
            try await Reply.guarded {
                var kind: ArtifactKind?
                if let raw = request.query["kind"] {
                    guard let parsed = ArtifactKind(rawValue: raw) else {
                        throw ServiceError.badRequest("kind must be one of \(ArtifactKind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
                    }
                    kind = parsed
                }
                return try Reply.json(await self.store.listArtifacts(kind: kind))
            }
        }
        router.get("/api/artifacts/:id") { request, _ in
            try await Reply.guarded { try Reply.json(try await self.store.artifact(try request.parameter("id"))) }
        }
        router.get("/api/artifacts/:id/content") { request, _ in
            try await Reply.guarded {
                let data = try await self.store.artifactContent(try request.parameter("id"))
                return Response(status: .ok, headers: ["Content-Type": "application/json"], body: data)
            }
        }
        router.delete("/api/artifacts/:id") { request, _ in
            try await Reply.guarded {
                try await self.store.deleteArtifact(try request.parameter("id"))
                return .noContent
            }
        }
        router.post("/api/scale-sets") { request, _ in
            try await Reply.guarded {
                let body = try request.apiBody(CreateScaleSetRequest.self)
                return try Reply.json(try await self.createScaleSet(body), status: .created)
            }
        }
    }
}
