/// The body of every non-2xx response: `{"error": {"code": "...", "message": "..."}}`.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        /// Stable machine-readable code: bad_request, unauthorized, forbidden, not_found,
        /// method_not_allowed, payload_too_large, unprocessable, too_many_requests,
        /// internal, unavailable, context_overflow, model_not_loaded.
        public var code: String
        /// A sentence a person can act on.
        public var message: String
        public init(code: String, message: String) { self.code = code; self.message = message }
    }
    public var error: Detail
    public init(code: String, message: String) { error = Detail(code: code, message: message) }
}
