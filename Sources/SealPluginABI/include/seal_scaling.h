/*
 * seal_scaling.h: header-only helpers for scaling-strategy plugins.
 *
 * The built-in strategies (headwise, channelwise) take the same two parameters,
 * `init` and `l2`, and check the model shape the same way; a third-party strategy
 * can reuse them or ignore this header. Everything here is static, so each plugin
 * gets its own copy and the ABI is unchanged.
 */
#ifndef SEAL_SCALING_H
#define SEAL_SCALING_H

#include "seal_plugin.h"

enum { SEAL_SCALING_PARAM_INIT, SEAL_SCALING_PARAM_L2, SEAL_SCALING_PARAM_COUNT };

/** `init` (float, default 1.0, 0..16) and `l2` (float, default 0, 0..1000), in that order. */
static const seal_param_schema seal_scaling_parameters[SEAL_SCALING_PARAM_COUNT] = {
    [SEAL_SCALING_PARAM_INIT] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "init",
        .description = "Initial value of every multiplier; 1.0 leaves the model unchanged before training.",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = 1.0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0.0,
        .maximum = 16.0,
    },
    [SEAL_SCALING_PARAM_L2] = {
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

/** Refuses a call without both parameters or with a non-positive shape. */
static inline seal_status seal_scaling_check(const seal_model_shape *shape, uint32_t param_count,
                                             char *error, size_t error_capacity) {
    if (param_count < SEAL_SCALING_PARAM_COUNT) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "missing parameters (init, l2)");
    }
    if (shape->layers <= 0 || shape->heads <= 0 || shape->head_dim <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "layers, heads and head_dim must be positive");
    }
    return SEAL_OK;
}

/** Sets every initial value to `init` and, when `l2` > 0, an L2 pull towards 1.0. */
static inline void seal_scaling_fill_common(const seal_value *params, seal_scaling_layout *layout) {
    for (int64_t p = 0; p < layout->parameter_count; p++) {
        layout->initial_values[p] = (float)params[SEAL_SCALING_PARAM_INIT].number;
    }
    if (params[SEAL_SCALING_PARAM_L2].number > 0.0 && layout->regularisation != NULL) {
        layout->regularisation->kind = SEAL_REGULARISATION_L2;
        layout->regularisation->target = 1.0;
        layout->regularisation->weight = params[SEAL_SCALING_PARAM_L2].number;
    }
}

#endif /* SEAL_SCALING_H */
