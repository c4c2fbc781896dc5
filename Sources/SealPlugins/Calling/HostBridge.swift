import SealPluginABI

/// The host side of one plugin call: the `seal_host` callbacks, backed by Swift closures.
///
/// Lives only for the duration of the call; the C struct carries an unretained pointer
/// to it, which is sound because the call is synchronous and the object is kept alive
/// around it.
final class HostContext {
    private let countTokens: ((String) -> Int)?
    private let generate: ((String, Int) -> String?)?
    /// Texts returned by `generate_text`, valid until the plugin call returns.
    private var generated: [UnsafeMutableBufferPointer<CChar>] = []

    init(countTokens: ((String) -> Int)? = nil, generate: ((String, Int) -> String?)? = nil) {
        self.countTokens = countTokens
        self.generate = generate
    }

    deinit {
        for text in generated { text.deallocate() }
    }

    /// Calls `body` with a `seal_host` whose callbacks reach this object.
    func withHost<Result>(_ body: (UnsafePointer<seal_host>) -> Result) -> Result {
        var host = seal_host()
        host.struct_size = CLayout.size(of: seal_host.self)
        host.abi_major = UInt32(SEAL_PLUGIN_ABI_MAJOR)
        host.abi_minor = UInt32(SEAL_PLUGIN_ABI_MINOR)
        host.context = Unmanaged.passUnretained(self).toOpaque()
        if countTokens != nil {
            host.count_tokens = { context, text, length in HostContext.countTokens(context, text, length) }
        }
        if generate != nil {
            host.generate_text = { context, prompt, maximum in HostContext.generateText(context, prompt, maximum) }
        }
        return withExtendedLifetime(self) {
            withUnsafePointer(to: &host) { body($0) }
        }
    }

    private static func countTokens(_ context: UnsafeMutableRawPointer?, _ text: UnsafePointer<CChar>?,
                                    _ length: Int) -> Int64 {
        guard let context, length >= 0 else { return -1 }
        let host = Unmanaged<HostContext>.fromOpaque(context).takeUnretainedValue()
        guard let counter = host.countTokens else { return -1 }
        var string = ""
        if length > 0 {
            guard let text else { return -1 }
            string = String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
        }
        let count = counter(string)
        return count < 0 ? -1 : Int64(count)
    }

    private static func generateText(_ context: UnsafeMutableRawPointer?, _ prompt: UnsafePointer<CChar>?,
                                     _ maximumTokens: Int32) -> UnsafePointer<CChar>? {
        guard let context, let prompt, maximumTokens > 0 else { return nil }
        let host = Unmanaged<HostContext>.fromOpaque(context).takeUnretainedValue()
        guard let generate = host.generate, let text = generate(String(cString: prompt), Int(maximumTokens)) else {
            return nil
        }
        let bytes = text.utf8CString
        let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count)
        _ = copy.initialize(from: bytes)
        host.generated.append(copy)
        return UnsafePointer(copy.baseAddress)
    }
}

/// Collects text a plugin writes through a `seal_sink`.
final class TextSink {
    /// Refuse more than this many bytes: a runaway plugin must not exhaust memory.
    static let limit = 256 << 20

    private(set) var bytes: [UInt8] = []

    /// The C view of this sink; valid while this object is alive.
    var sink: seal_sink {
        seal_sink(context: Unmanaged.passUnretained(self).toOpaque(),
                  append: { context, text, length in TextSink.append(context, text, length) })
    }

    /// The collected text, or nil when it is not valid UTF-8.
    var text: String? { String(validating: bytes, as: UTF8.self) }

    private static func append(_ context: UnsafeMutableRawPointer?, _ text: UnsafePointer<CChar>?,
                               _ length: Int) -> seal_status {
        guard let context, length >= 0 else { return SEAL_ERROR_INVALID_ARGUMENT }
        let sink = Unmanaged<TextSink>.fromOpaque(context).takeUnretainedValue()
        guard length > 0 else { return SEAL_OK }
        guard let text, sink.bytes.count + length <= limit else { return SEAL_ERROR_INVALID_ARGUMENT }
        sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: text, count: length))
        return SEAL_OK
    }
}

/// Runs plugin functions with an error buffer and turns failures into ``PluginError``.
struct PluginCall {
    let plugin: String
    let operation: String

    static let errorCapacity = 1024

    /// Calls `body(errorBuffer, capacity)`; returns the error when it does not return `SEAL_OK`.
    ///
    /// Returns rather than throws so it can be used inside the non-throwing closures that
    /// keep C pointers alive; callers throw the result outside them.
    func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> seal_status) -> PluginError? {
        var buffer = [CChar](repeating: 0, count: Self.errorCapacity)
        let status = buffer.withUnsafeMutableBufferPointer { pointer -> seal_status in
            guard let base = pointer.baseAddress else { return SEAL_ERROR_INTERNAL }
            return body(base, pointer.count)
        }
        guard status != SEAL_OK else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return PluginError.pluginFailed(plugin: plugin, operation: operation, status: status,
                                        message: String(decoding: bytes, as: UTF8.self))
    }

    func invalid(_ reason: String) -> PluginError {
        PluginError.invalidOutput(plugin: plugin, operation: operation, reason: reason)
    }

    func refuse(_ reason: String) -> PluginError {
        PluginError.invalidRequest(plugin: plugin, reason: reason)
    }
}
