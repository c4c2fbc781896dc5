/*
 * seal_rope_common.h: what seal's RoPE-scaling plugins (linear, ntk, dynamic-ntk, yarn, llama3) share:
 * the `original_max_position_embeddings` parameter, the automatic scale factor and the reach.
 * Header-only (static inline), so each plugin stays one self-contained shared object.
 */
#ifndef SEAL_ROPE_COMMON_H
#define SEAL_ROPE_COMMON_H

#include <stdio.h>

#include "seal_plugin.h"

/** pi to double precision (M_PI is not in strict C11). */
#define SEAL_PI 3.14159265358979323846

/** The schema entry of HF's `original_max_position_embeddings` (0 = the model's trained context). */
#define SEAL_ORIGINAL_CONTEXT_PARAMETER { \
    .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_INT, \
    .name = "original_max_position_embeddings", \
    .description = "L, the context the model was trained with (before any scaling); 0 = the model's own.", \
    .default_value = { .type = SEAL_PARAM_INT, .integer = 0 }, \
    .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX, .minimum = 0, .maximum = 16777216 }

/** A float parameter with bounds. */
#define SEAL_FLOAT_PARAMETER(param_name, text, value, low, high) { \
    .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_FLOAT, .name = param_name, .description = text, \
    .default_value = { .type = SEAL_PARAM_FLOAT, .number = value }, \
    .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX, .minimum = low, .maximum = high }

/** L: the parameter when set, else the model's trained context. */
static inline double seal_original_context(const seal_value *original, const seal_rope_request *request) {
    return original->integer > 0 ? (double)original->integer : (double)request->trained_context;
}

/**
 * The scale factor s: `given`, or for 0 (automatic) max(1, requested / L). A factor in (0, 1)
 * would shrink the context and is refused with a message naming `plugin`.
 */
static inline seal_status seal_scale_factor(const char *plugin, double given, double original,
                                            const seal_rope_request *request, double *factor,
                                            char *error, size_t error_capacity) {
    if (given == 0.0) {
        double ratio = (double)request->sequence_length / original;
        *factor = ratio > 1.0 ? ratio : 1.0;
        return SEAL_OK;
    }
    if (given < 1.0) {
        char message[160];
        snprintf(message, sizeof message, "%s: factor must be 0 (automatic) or at least 1; "
                 "a factor below 1 would shrink the context", plugin);
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, message);
    }
    *factor = given;
    return SEAL_OK;
}

/** s * L, or for an automatic factor at least the requested length (free of rounding). */
static inline int64_t seal_scaled_reach(double original, double factor, int automatic, const seal_rope_request *request) {
    double reach = original * factor;
    if (automatic && (double)request->sequence_length > reach) reach = (double)request->sequence_length;
    return (int64_t)(reach + 0.5);
}

/** Writes "<plugin> x<factor>" as the plan's label. */
static inline void seal_scale_label(seal_position_plan *plan, const char *plugin, double factor) {
    if (plan->label != NULL && plan->label_capacity > 0) snprintf(plan->label, plan->label_capacity, "%s x%g", plugin, factor);
}

#endif /* SEAL_ROPE_COMMON_H */
