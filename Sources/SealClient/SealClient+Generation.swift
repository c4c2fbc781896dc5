import Foundation
import SealAPI

/// An event of a streamed generation.
public enum GenerationEvent: Sendable, Equatable {
    /// Text of one or more new tokens, to show as it arrives.
    case token(String)
    /// The final result: the whole text, finish reason, usage and timings. Always last.
    case done(GenerateResponse)
}

extension SealClient {
    /// `POST /api/generate` with `"stream": true`: tokens as the model produces them, then
    /// `.done`. An `error` event throws its ``ClientError/server(status:code:message:)``; a
    /// stream that ends without `done` throws a protocol error. Stopping the iteration or
    /// cancelling the task disconnects, and the daemon stops generating.
    public func generateStream(_ request: GenerateRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        var request = request
        request.stream = true
        let body: Data
        do {
            body = try Self.encode(request)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        let http = HTTPRequest(method: .post, path: "/api/generate", headers: Self.eventStreamHeaders, body: body)
        return stream(http, requiresFinalEvent: true) { event in
            switch event.event {
            case "token": .yield(.token(try event.decode(TokenEvent.self).text))
            case "done": .finish(.done(try event.decode(GenerateResponse.self)))
            case "error": throw Self.streamError(event)
            default: .skip
            }
        }
    }

    /// An OpenAI-compatible streaming call (`/v1/completions`, `/v1/chat/completions`): the
    /// chunks of `data: {...}` lines until `data: [DONE]`. `body` is the raw request JSON, since
    /// OpenAI clients send their own field names.
    public func openAIStream(_ path: String, body: Data) -> AsyncThrowingStream<OpenAIResponse, any Error> {
        let http = HTTPRequest(method: .post, path: path, headers: Self.eventStreamHeaders, body: body)
        return stream(http, requiresFinalEvent: true) { event in
            if event.data == "[DONE]" { return .end }
            if event.event == "error" { throw Self.streamError(event) }
            // OpenAI errors come as a data line holding {"error": {...}}.
            if let error = try? event.decode(ErrorResponse.self) {
                throw ClientError.server(status: ClientError.status(forCode: error.error.code), code: error.error.code,
                                         message: error.error.message)
            }
            return .yield(try event.decode(OpenAIResponse.self))
        }
    }
}
