/*
 * seal-linear: linear position interpolation (Chen et al. 2023).
 *
 * Position m becomes m / s, which is the same as dividing every RoPE inverse
 * frequency by s: a model trained on L positions then addresses s * L. The
 * host pre-fills the plan with the base frequencies; this plugin only divides
 * them and states the new reach. Nothing here runs per token.
 */
#include "seal_rope_common.h"

enum { PARAM_FACTOR, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_FACTOR] = SEAL_FLOAT_PARAMETER("factor", "Scale s: positions are divided by s and the context grows to trained * s. "
                                          "0 = automatic, max(1, requested length / trained length).",
                                          0.0, 0.0, 1024.0),
};

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT || request->trained_context <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "linear: missing parameters or trained context length");
    }
    double trained = (double)request->trained_context;
    double factor;
    seal_status status = seal_scale_factor("linear", params[PARAM_FACTOR].number, trained, request, &factor,
                                           error, error_capacity);
    if (status != SEAL_OK) return status;
    for (uint32_t i = 0; i < plan->frequency_count; i++) {
        plan->inverse_frequencies[i] /= factor;
    }
    plan->effective_context = seal_scaled_reach(trained, factor, params[PARAM_FACTOR].number == 0.0, request);
    seal_scale_label(plan, "linear", factor);
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
