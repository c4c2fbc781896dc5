import Foundation
import Testing

/// One seald with the default model shared by the read-only end-to-end tests,
/// started on first use (each start loads the model: ~1 s and 600 MB).
enum SharedDaemon {
    static let instance: Result<DaemonProcess, any Error> = Result {
        guard BuildProducts.defaultModel != nil else { throw DaemonError.notReady("default model missing: run scripts/fetch-models.sh") }
        let daemon = try DaemonProcess(extraConfig: "limits:\n  max_request_bytes: 65536\n")
        try daemon.start()
        return daemon
    }

    static func get() throws -> DaemonProcess { try instance.get() }
}

/// Decodes a JSON object from a response body.
func jsonObject(_ body: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
}

/// The `error.code` and `error.message` of an error response.
func errorDetail(_ body: String) -> (code: String, message: String)? {
    guard let error = jsonObject(body)?["error"] as? [String: Any],
          let code = error["code"] as? String, let message = error["message"] as? String else { return nil }
    return (code, message)
}
