import Foundation
import SealAPI
import SealClient

extension GlobalOptions {
    /// Calls `endpoint`. With `--json` prints the daemon's raw JSON and returns nil, so the
    /// caller's table code runs only for people: `guard let x = try await global.fetch(...) else { return }`.
    func fetch<Response: Decodable>(_ endpoint: Endpoint<Response>) async throws -> Response? {
        let data = try await client.data(endpoint)
        if json {
            printJSON(data)
            return nil
        }
        if Response.self == NoContent.self, let none = NoContent() as? Response { return none }
        return try SealClient.decode(Response.self, from: data, context: "\(endpoint.method.rawValue) \(endpoint.path)")
    }
}

/// Writes raw JSON bytes, ending the line.
func printJSON(_ data: Data) {
    Terminal.standardOutput.write(data)
    if data.last != UInt8(ascii: "\n") { Terminal.standardOutput.write("\n") }
}

/// Encodes `value` as one line of API JSON (for `--json` output that the daemon did not send
/// as one document, such as each job state while following).
func printJSONLine<T: Encodable>(_ value: T) {
    guard let data = try? APIJSON.encode(value) else { return }
    printJSON(data)
}
