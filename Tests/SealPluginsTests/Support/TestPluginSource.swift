/// C source of small plugins written for the tests, each with one knob to break.
///
/// The default is a valid channel-wise scaling strategy (SEAL-C: one parameter per
/// channel), which also shows a second, non-built-in layout going through the ABI.
struct TestPluginSource {
    var name = "\"channelwise\""
    var version = "\"1.0\""
    var abiMajor = "SEAL_PLUGIN_ABI_MAJOR"
    var structSize = "sizeof(seal_plugin_descriptor)"
    var kind = "SEAL_KIND_SCALING_STRATEGY"
    var parameters = """
        { .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_FLOAT, .name = "init",
          .description = "initial value", .default_value = { .type = SEAL_PARAM_FLOAT, .number = 1.0 },
          .flags = SEAL_PARAM_HAS_MIN, .minimum = 0.0 },
        """
    var parameterCount = "1"
    var fillLayout = "fill_layout"
    var entrySymbol = "seal_plugin_entry"
    var entryReturnsNull = false

    var text: String {
        """
        #include "seal_plugin.h"

        static const seal_param_schema parameters[] = {
        \(parameters)
            { 0 }
        };

        static seal_status parameter_count(const seal_host *host, const seal_value *params, uint32_t count,
                                           const seal_model_shape *shape, int64_t *out, char *error, size_t capacity) {
            (void)host; (void)params; (void)count; (void)error; (void)capacity;
            *out = (int64_t)shape->layers * shape->heads * shape->head_dim;
            return SEAL_OK;
        }

        static seal_status fill_layout(const seal_host *host, const seal_value *params, uint32_t count,
                                       const seal_model_shape *shape, seal_scaling_layout *layout,
                                       char *error, size_t capacity) {
            (void)host; (void)shape; (void)error; (void)capacity;
            for (int64_t i = 0; i < layout->map_count; i++) {
                layout->map[i] = (int32_t)i;
                layout->initial_values[i] = count > 0 ? (float)params[0].number : 1.0f;
            }
            layout->regularisation->kind = SEAL_REGULARISATION_L1;
            layout->regularisation->weight = 0.5;
            return SEAL_OK;
        }

        static const seal_scaling_functions functions = {
            .struct_size = sizeof(seal_scaling_functions),
            .parameter_count = parameter_count,
            .fill_layout = \(fillLayout),
        };

        static const seal_plugin_descriptor descriptor = {
            .struct_size = \(structSize),
            .abi_major = \(abiMajor),
            .abi_minor = SEAL_PLUGIN_ABI_MINOR,
            .kind = \(kind),
            .name = \(name),
            .version = \(version),
            .description = "a plugin written by the tests",
            .parameters = parameters,
            .parameter_count = \(parameterCount),
            .scaling = &functions,
        };

        SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *\(entrySymbol)(void) {
            return \(entryReturnsNull ? "NULL" : "&descriptor");
        }
        """
    }
}

/// A context-extension plugin whose plan is given as C statements, for testing what the
/// host accepts from `plan` (bands, frequencies, failures).
struct TestPlanPluginSource {
    var name = "planner"
    var version = "1.0"
    /// C statements with `request`, `plan`, `error`, `error_capacity` in scope.
    var body = "return SEAL_OK;"

    var text: String {
        """
        #include "seal_plugin.h"

        static seal_status plan_function(const seal_host *host, const seal_value *params, uint32_t count,
                                         const seal_rope_request *request, seal_position_plan *plan,
                                         char *error, size_t error_capacity) {
            (void)host; (void)params; (void)count; (void)request; (void)plan; (void)error; (void)error_capacity;
            \(body)
        }

        static const seal_context_extension_functions functions = {
            .struct_size = sizeof(seal_context_extension_functions),
            .plan = plan_function,
        };

        static const seal_plugin_descriptor descriptor = {
            .struct_size = sizeof(seal_plugin_descriptor),
            .abi_major = SEAL_PLUGIN_ABI_MAJOR,
            .abi_minor = SEAL_PLUGIN_ABI_MINOR,
            .kind = SEAL_KIND_CONTEXT_EXTENSION,
            .name = "\(name)",
            .version = "\(version)",
            .description = "a context-extension plugin written by the tests",
            .context_extension = &functions,
        };

        SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) { return &descriptor; }
        """
    }
}
