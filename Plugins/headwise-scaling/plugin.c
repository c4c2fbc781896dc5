/*
 * seal-headwise: SEAL-H, one learned multiplier per (layer, query head).
 *
 * Every channel of a head shares its head's parameter, so a model with L layers
 * and H query heads learns L * H numbers (270 for SmolLM2-135M: 30 x 9). Grouped
 * query attention changes nothing: the multiplier acts on each query head's
 * output, before o_proj, whatever key/value head it read from.
 */
#include "seal_scaling.h"

static seal_status parameter_count(const seal_host *host, const seal_value *params, uint32_t param_count,
                                   const seal_model_shape *shape, int64_t *count,
                                   char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    seal_status status = seal_scaling_check(shape, param_count, error, error_capacity);
    if (status != SEAL_OK) return status;
    *count = (int64_t)shape->layers * shape->heads;
    return SEAL_OK;
}

static seal_status fill_layout(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_model_shape *shape, seal_scaling_layout *layout,
                               char *error, size_t error_capacity) {
    (void)host;
    seal_status status = seal_scaling_check(shape, param_count, error, error_capacity);
    if (status != SEAL_OK) return status;
    int64_t heads = (int64_t)shape->layers * shape->heads;
    if (layout->parameter_count != heads || layout->map_count != heads * shape->head_dim) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "the host allocated a layout of the wrong size");
    }
    for (int64_t p = 0; p < heads; p++) {
        int32_t *channels = layout->map + p * shape->head_dim;
        for (int32_t c = 0; c < shape->head_dim; c++) channels[c] = (int32_t)p;
    }
    seal_scaling_fill_common(params, layout);
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
    .name = "headwise",
    .version = "1.0.0",
    .description = "SEAL-H: one learned multiplier per (layer, query head), shared by the head's channels.",
    .parameters = seal_scaling_parameters,
    .parameter_count = SEAL_SCALING_PARAM_COUNT,
    .scaling = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
