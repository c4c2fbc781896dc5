import SealPluginABI

/// Reading append-only C structs safely.
///
/// A plugin built against an older minor version hands us a shorter struct than the
/// one this host knows; reading `pointee` would read past its end. So structs are
/// copied up to `min(struct_size, our size)` into a zeroed value: fields the plugin
/// does not know stay zero (absent), fields we do not know are ignored.
enum CLayout {
    /// Copies the first `size` bytes at `pointer` (at most `MemoryLayout<T>.size`) over `value`.
    static func copyPrefix<T>(from pointer: UnsafeRawPointer, size: Int, into value: inout T) {
        withUnsafeMutableBytes(of: &value) { destination in
            let count = max(0, min(size, destination.count))
            guard let base = destination.baseAddress, count > 0 else { return }
            base.copyMemory(from: pointer, byteCount: count)
        }
    }

    /// The leading `uint32_t struct_size` of an append-only struct.
    static func declaredSize(at pointer: UnsafeRawPointer) -> Int {
        Int(pointer.loadUnaligned(as: UInt32.self))
    }

    /// The end of a field: the smallest `struct_size` that includes it.
    static func end<T, F>(of field: KeyPath<T, F>) -> Int {
        (MemoryLayout<T>.offset(of: field) ?? MemoryLayout<T>.size) + MemoryLayout<F>.size
    }

    /// `struct_size` values a plugin must at least declare: the ABI 1.0 layout.
    ///
    /// Computed from the last 1.0 field rather than `MemoryLayout.size`, so these stay
    /// right when later minor versions append fields.
    enum Minimum {
        static let descriptor = end(of: \seal_plugin_descriptor.scaling)
        static let parameter = end(of: \seal_param_schema.maximum)
        static let task = end(of: \seal_task_functions.score)
        static let contextExtension = end(of: \seal_context_extension_functions.plan)
        static let scaling = end(of: \seal_scaling_functions.fill_layout)
    }

    /// A NUL-terminated UTF-8 string owned by the plugin, or nil when NULL or malformed.
    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(validatingCString: pointer)
    }

    /// Host-side `struct_size` of a struct the host passes in.
    static func size<T>(of _: T.Type) -> UInt32 {
        UInt32(MemoryLayout<T>.size)
    }
}
