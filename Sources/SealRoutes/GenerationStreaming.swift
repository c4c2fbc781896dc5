import SealAPI
import SealGeneration
import SealServer
import SealService

extension SealService {
    /// Runs an admitted generation for a request whose client may go away: a
    /// disconnect stops it at the next token.
    func runAttached(_ prepared: GenerationService.Prepared, admission: GenerationService.Admission,
                     context: Context) async throws -> GenerateResponse {
        let flag = CancellationFlag()
        context.onClientDisconnect { flag.cancel() }
        return try await generation.run(prepared, admission: admission) { _ in !flag.isCancelled }
    }

    /// Runs an admitted generation, passing each piece of text (with its tokens'
    /// log-probabilities when asked for) to `send` as it is decided. A failing `send` or a
    /// disconnect stops the generation at the next token; the outcome is returned for the
    /// stream's closing event.
    func runStreaming(_ prepared: GenerationService.Prepared, admission: GenerationService.Admission, context: Context,
                      send: (GeneratedPiece) async throws -> Void) async -> Result<GenerationService.Outcome, any Error> {
        let flag = CancellationFlag()
        context.onClientDisconnect { flag.cancel() }
        let (pieces, continuation) = AsyncStream<GeneratedPiece>.makeStream()
        let run = Task {
            defer { continuation.finish() }
            return try await self.generation.generate(prepared, admission: admission, onPiece: { piece in
                continuation.yield(piece)
                return !flag.isCancelled
            })
        }
        for await piece in pieces where !flag.isCancelled {
            do { try await send(piece) } catch { flag.cancel() }
        }
        return await run.result
    }
}
