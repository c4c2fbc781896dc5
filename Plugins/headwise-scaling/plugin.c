/*
 * seal-headwise: SEAL-H, one learned multiplier per (layer, query head).
 *
 * Every channel of a head shares its head's parameter, so a model with L layers
 * and H query heads learns L * H numbers (270 for SmolLM2-135M: 30 x 9). Grouped
 * query attention changes nothing: the multiplier acts on each query head's
 * output, before o_proj, whatever key/value head it read from.
 */
#include "seal_plugin.h"

enum { PARAM_INIT, PARAM_L2, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_INIT] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "init",
        .description = "Initial value of every multiplier; 1.0 leaves the model unchanged before training.",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = 1.0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0.0,
        .maximum = 16.0,
    },
    [PARAM_L2] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "l2",
        .description = "Weight of an L2 penalty pulling multipliers toward 1.0; 0 disables it.",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = 0.0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0.0,
        .maximum = 1000.0,
    },
};

static seal_status check_shape(const seal_model_shape *shape, uint32_t param_count,
                               char *error, size_t error_capacity) {
    if (param_count < PARAM_COUNT) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "headwise: missing parameters");
    }
    if (shape->layers <= 0 || shape->heads <= 0 || shape->head_dim <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "headwise: layers, heads and head_dim must be positive");
    }
    return SEAL_OK;
}

static seal_status parameter_count(const seal_host *host, const seal_value *params, uint32_t param_count,
                                   const seal_model_shape *shape, int64_t *count,
                                   char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    seal_status status = check_shape(shape, param_count, error, error_capacity);
    if (status != SEAL_OK) return status;
    *count = (int64_t)shape->layers * shape->heads;
    return SEAL_OK;
}

static seal_status fill_layout(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_model_shape *shape, seal_scaling_layout *layout,
                               char *error, size_t error_capacity) {
    (void)host;
    seal_status status = check_shape(shape, param_count, error, error_capacity);
    if (status != SEAL_OK) return status;
    int64_t heads = (int64_t)shape->layers * shape->heads;
    if (layout->parameter_count != heads || layout->map_count != heads * shape->head_dim) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "headwise: the host allocated a layout of the wrong size");
    }
    for (int64_t p = 0; p < heads; p++) {
        layout->initial_values[p] = (float)params[PARAM_INIT].number;
        int32_t *channels = layout->map + p * shape->head_dim;
        for (int32_t c = 0; c < shape->head_dim; c++) channels[c] = (int32_t)p;
    }
    if (params[PARAM_L2].number > 0.0 && layout->regularisation != NULL) {
        layout->regularisation->kind = SEAL_REGULARISATION_L2;
        layout->regularisation->target = 1.0;
        layout->regularisation->weight = params[PARAM_L2].number;
    }
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
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .scaling = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
