/*
 * seal-channelwise: SEAL-C, one learned multiplier per (layer, query head, channel).
 *
 * The paper found that within a head only a few channels carry its effect on
 * retrieval, so SEAL-C gives every channel of the attention output its own
 * multiplier: L * H * d_head parameters (17,280 for SmolLM2-135M: 30 x 9 x 64).
 * Parameter p multiplies exactly channel p, so the map is the identity.
 */
#include "seal_scaling.h"

static seal_status parameter_count(const seal_host *host, const seal_value *params, uint32_t param_count,
                                   const seal_model_shape *shape, int64_t *count,
                                   char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    seal_status status = seal_scaling_check(shape, param_count, error, error_capacity);
    if (status != SEAL_OK) return status;
    *count = (int64_t)shape->layers * shape->heads * shape->head_dim;
    return SEAL_OK;
}

static seal_status fill_layout(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_model_shape *shape, seal_scaling_layout *layout,
                               char *error, size_t error_capacity) {
    (void)host;
    seal_status status = seal_scaling_check(shape, param_count, error, error_capacity);
    if (status != SEAL_OK) return status;
    int64_t channels = (int64_t)shape->layers * shape->heads * shape->head_dim;
    if (layout->parameter_count != channels || layout->map_count != channels || channels > INT32_MAX) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "the host allocated a layout of the wrong size");
    }
    for (int64_t p = 0; p < channels; p++) layout->map[p] = (int32_t)p;
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
    .name = "channelwise",
    .version = "1.0.0",
    .description = "SEAL-C: one learned multiplier per (layer, query head, channel) of the attention output.",
    .parameters = seal_scaling_parameters,
    .parameter_count = SEAL_SCALING_PARAM_COUNT,
    .scaling = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
