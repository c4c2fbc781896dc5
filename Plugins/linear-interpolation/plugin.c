/*
 * seal-linear: linear position interpolation (Chen et al. 2023).
 *
 * Position m becomes m / s, which is the same as dividing every RoPE inverse
 * frequency by s: a model trained on L positions then addresses s * L. The
 * host pre-fills the plan with the base frequencies; this plugin only divides
 * them and states the new reach. Nothing here runs per token.
 */
#include <stdio.h>

#include "seal_plugin.h"

enum { PARAM_FACTOR, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_FACTOR] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "factor",
        .description = "Scale s: positions are divided by s and the context grows to trained * s. "
                       "0 = automatic, max(1, requested length / trained length).",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = 0.0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0.0,
        .maximum = 1024.0,
    },
};

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT || request->trained_context <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "linear: missing parameters or trained context length");
    }
    double factor = params[PARAM_FACTOR].number;
    if (factor == 0.0) {
        double ratio = (double)request->sequence_length / (double)request->trained_context;
        factor = ratio > 1.0 ? ratio : 1.0;
    } else if (factor < 1.0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "linear: factor must be 0 (automatic) or at least 1; "
                          "a factor below 1 would shrink the context");
    }
    for (uint32_t i = 0; i < plan->frequency_count; i++) {
        plan->inverse_frequencies[i] /= factor;
    }
    if (params[PARAM_FACTOR].number == 0.0 && request->sequence_length > request->trained_context) {
        /* Automatic: exactly the requested length, free of rounding. */
        plan->effective_context = request->sequence_length;
    } else {
        plan->effective_context = (int64_t)((double)request->trained_context * factor + 0.5);
    }
    if (plan->label != NULL && plan->label_capacity > 0) {
        snprintf(plan->label, plan->label_capacity, "linear x%g", factor);
    }
    return SEAL_OK;
}

static const seal_context_extension_functions functions = {
    .struct_size = sizeof(seal_context_extension_functions),
    .plan = plan,
};

static const seal_plugin_descriptor descriptor = {
    .struct_size = sizeof(seal_plugin_descriptor),
    .abi_major = SEAL_PLUGIN_ABI_MAJOR,
    .abi_minor = SEAL_PLUGIN_ABI_MINOR,
    .kind = SEAL_KIND_CONTEXT_EXTENSION,
    .name = "linear",
    .version = "1.0.0",
    .description = "Linear position interpolation: divides every RoPE inverse frequency by a factor s "
                   "so a model trained on L positions addresses s * L (Chen et al. 2023).",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .context_extension = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
