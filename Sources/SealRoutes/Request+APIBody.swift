import Foundation
import SealAPI
import SealServer
import SealService

extension Request {
    /// Decodes a JSON body strictly (unknown fields refused) with messages naming the field.
    func apiBody<T: Decodable>(_ type: T.Type) throws -> T {
        if let contentType = headers.first(name: "content-type") {
            let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard media == "application/json" || media.hasSuffix("+json") || media == "application/x-www-form-urlencoded" else {
                throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type",
                                message: "expected Content-Type: application/json, got \(contentType)")
            }
        }
        guard body.readableBytes > 0 else { throw ServiceError.badRequest("the request body is empty; expected a JSON object") }
        return try APIJSON.decode(T.self, from: bodyData)
    }
}
