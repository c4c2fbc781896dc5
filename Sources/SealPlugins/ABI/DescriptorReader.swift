import SealPluginABI

/// The function table of a loaded plugin, by kind (copied out of the plugin's static data).
enum KindFunctions {
    case task(seal_task_functions)
    case contextExtension(seal_context_extension_functions)
    case scaling(seal_scaling_functions)
}

/// Turns a plugin's C descriptor into checked Swift values, or says exactly what is wrong.
///
/// Everything the host will later rely on is checked here, once, at load time: the
/// wrappers then call the plugin without re-validating its static data.
struct DescriptorReader {
    let path: String

    /// Maximum number of declared parameters; a larger count means a corrupt descriptor.
    static let maximumParameterCount = 256

    func read(_ pointer: UnsafeRawPointer) throws(PluginLoadError) -> (PluginInfo, KindFunctions) {
        let size = CLayout.declaredSize(at: pointer)
        guard size >= CLayout.Minimum.descriptor else {
            throw fail("descriptor struct_size is \(size), smaller than the \(CLayout.Minimum.descriptor) bytes of ABI 1.0; rebuild the plugin against seal_plugin.h")
        }
        var descriptor = seal_plugin_descriptor()
        CLayout.copyPrefix(from: pointer, size: size, into: &descriptor)

        guard descriptor.abi_major == UInt32(SEAL_PLUGIN_ABI_MAJOR) else {
            throw fail("built for plugin ABI \(descriptor.abi_major).\(descriptor.abi_minor), but this seal supports ABI \(SEAL_PLUGIN_ABI_MAJOR).x (up to \(SEAL_PLUGIN_ABI_MAJOR).\(SEAL_PLUGIN_ABI_MINOR)); rebuild the plugin against this seal's seal_plugin.h")
        }
        guard let name = CLayout.string(descriptor.name) else {
            throw fail("the descriptor's name is NULL or not valid UTF-8")
        }
        guard Self.isValidName(name, allowing: "._-") else {
            throw fail(name.isEmpty
                ? "the descriptor's name is empty"
                : "plugin name '\(name)' is invalid: use 1-63 characters a-z, 0-9, '.', '_' or '-', starting with a letter")
        }
        guard let version = CLayout.string(descriptor.version), !version.isEmpty else {
            throw fail("plugin '\(name)' has a NULL, empty or non-UTF-8 version string")
        }
        guard let kind = Self.kind(descriptor.kind) else {
            throw fail("plugin '\(name)' declares unknown kind \(descriptor.kind) (known: \(SEAL_KIND_TASK) task, \(SEAL_KIND_CONTEXT_EXTENSION) context-extension, \(SEAL_KIND_SCALING_STRATEGY) scaling-strategy)")
        }
        let description = descriptor.description.flatMap { String(validatingCString: $0) } ?? ""
        let parameters = try readParameters(descriptor, plugin: name)
        let functions = try readFunctions(descriptor, kind: kind, plugin: name)
        let info = PluginInfo(name: name, version: version, kind: kind,
                              abiVersion: "\(descriptor.abi_major).\(descriptor.abi_minor)", path: path,
                              description: description, parameters: parameters)
        return (info, functions)
    }

    static func kind(_ value: seal_plugin_kind) -> PluginKind? {
        switch value {
        case SEAL_KIND_TASK: .task
        case SEAL_KIND_CONTEXT_EXTENSION: .contextExtension
        case SEAL_KIND_SCALING_STRATEGY: .scalingStrategy
        default: nil
        }
    }

    /// Names travel through URLs, YAML and command lines: keep them boring.
    static func isValidName(_ name: String, allowing extra: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        let allowed = Set(extra.utf8)
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || allowed.contains(byte)
        }
    }

    private func fail(_ message: String) -> PluginLoadError {
        PluginLoadError(path: path, message: message)
    }

    private func readFunctions(_ descriptor: seal_plugin_descriptor, kind: PluginKind,
                               plugin: String) throws(PluginLoadError) -> KindFunctions {
        func table<T>(_ pointer: UnsafePointer<T>?, _ field: String, minimum: Int, empty: T) throws(PluginLoadError) -> T {
            guard let pointer else {
                throw fail("plugin '\(plugin)' is a \(kind.rawValue) plugin but its descriptor's '\(field)' table is NULL")
            }
            let size = CLayout.declaredSize(at: UnsafeRawPointer(pointer))
            guard size >= minimum else {
                throw fail("plugin '\(plugin)': the '\(field)' table's struct_size is \(size), smaller than the \(minimum) bytes of ABI 1.0")
            }
            var value = empty
            CLayout.copyPrefix(from: UnsafeRawPointer(pointer), size: size, into: &value)
            return value
        }
        func missing(_ function: String) -> PluginLoadError {
            fail("plugin '\(plugin)' does not implement '\(function)' (NULL function pointer)")
        }
        switch kind {
        case .task:
            let functions = try table(descriptor.task, "task", minimum: CLayout.Minimum.task, empty: seal_task_functions())
            guard functions.make_sample != nil else { throw missing("make_sample") }
            guard functions.score != nil else { throw missing("score") }
            return .task(functions)
        case .contextExtension:
            let functions = try table(descriptor.context_extension, "context_extension",
                                      minimum: CLayout.Minimum.contextExtension, empty: seal_context_extension_functions())
            guard functions.plan != nil else { throw missing("plan") }
            return .contextExtension(functions)
        case .scalingStrategy:
            let functions = try table(descriptor.scaling, "scaling", minimum: CLayout.Minimum.scaling,
                                      empty: seal_scaling_functions())
            guard functions.parameter_count != nil else { throw missing("parameter_count") }
            guard functions.fill_layout != nil else { throw missing("fill_layout") }
            return .scaling(functions)
        }
    }
}
