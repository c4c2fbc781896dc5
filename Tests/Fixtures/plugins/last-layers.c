/*
 * A third-party scaling strategy used by the end-to-end tests: the researcher's
 * "drop a C file in the plugin folder and reload" path. It learns one multiplier
 * per head, but only in the last `layers` layers; every other head stays 1.0.
 * Build: cc -shared -fPIC -I Sources/SealPluginABI/include last-layers.c -o libtest-last-layers.so
 */
#include "seal_plugin.h"

static const seal_param_schema parameters[1] = {
    {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "layers",
        .description = "How many of the last layers get learned head multipliers.",
        .default_value = { .type = SEAL_PARAM_INT, .integer = 4 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 1,
        .maximum = 1024,
    },
};

static int64_t tuned_layers(const seal_value *params, const seal_model_shape *shape) {
    int64_t n = params[0].integer;
    return n < shape->layers ? n : shape->layers;
}

static seal_status parameter_count(const seal_host *host, const seal_value *params, uint32_t n,
                                   const seal_model_shape *shape, int64_t *count, char *error, size_t cap) {
    (void)host;
    if (n < 1 || shape->layers <= 0 || shape->heads <= 0) {
        return seal_error(error, cap, SEAL_ERROR_INVALID_ARGUMENT, "last-layers: bad shape or parameters");
    }
    *count = tuned_layers(params, shape) * shape->heads;
    return SEAL_OK;
}

static seal_status fill_layout(const seal_host *host, const seal_value *params, uint32_t n,
                               const seal_model_shape *shape, seal_scaling_layout *layout, char *error, size_t cap) {
    (void)host;
    (void)n;
    int64_t first = shape->layers - tuned_layers(params, shape);
    for (int64_t p = 0; p < layout->parameter_count; p++) layout->initial_values[p] = 1.0f;
    for (int64_t l = first; l < shape->layers; l++) {
        for (int64_t h = 0; h < shape->heads; h++) {
            int32_t index = (int32_t)((l - first) * shape->heads + h);
            int32_t *channels = layout->map + (l * shape->heads + h) * shape->head_dim;
            for (int32_t c = 0; c < shape->head_dim; c++) channels[c] = index;
        }
    }
    (void)error;
    (void)cap;
    return SEAL_OK;
}

static const seal_scaling_functions functions = {
    .struct_size = sizeof(seal_scaling_functions),
    .parameter_count = parameter_count,
    .fill_layout = fill_layout,
};

static const seal_plugin_descriptor descriptor = {
    .struct_size = sizeof(seal_plugin_descriptor),
    .abi_major = SEAL_PLUGIN_ABI_MAJOR,
    .abi_minor = SEAL_PLUGIN_ABI_MINOR,
    .kind = SEAL_KIND_SCALING_STRATEGY,
    .name = "last-layers",
    .version = "0.1.0",
    .description = "Head multipliers in the last N layers only (test plugin).",
    .parameters = parameters,
    .parameter_count = 1,
    .scaling = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
