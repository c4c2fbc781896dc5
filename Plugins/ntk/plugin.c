/*
 * seal-ntk: static NTK-aware RoPE scaling (bloc97 2023).
 *
 * The base grows to base' = base * s^(d/(d-2)) (d = rotary dimensions), which
 * leaves the fastest rotation unchanged and slows the slowest by exactly s, so
 * a model trained on L positions addresses about s * L. Only the frequencies
 * change; the plan is computed once per session.
 *
 * Parameters (HF `rope_scaling` names where one exists):
 *   factor  (float, 0 = automatic: max(1, requested / original))  the scale s
 *   original_max_position_embeddings (int, 0 = the model's trained context)  L
 */
#include <math.h>

#include "seal_rope_common.h"

enum { PARAM_FACTOR, PARAM_ORIGINAL, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_FACTOR] = SEAL_FLOAT_PARAMETER("factor", "Scale s: the RoPE base becomes base * s^(d/(d-2)), reaching "
                                          "about s * L positions. 0 = automatic, max(1, requested length / L).",
                                          0.0, 0.0, 1024.0),
    [PARAM_ORIGINAL] = SEAL_ORIGINAL_CONTEXT_PARAMETER,
};

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT || request->trained_context <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "ntk: missing parameters or trained context length");
    }
    double d = request->rotary_dims;
    if (d <= 2) {
        return seal_error(error, error_capacity, SEAL_ERROR_UNSUPPORTED, "ntk: needs more than 2 rotary dimensions");
    }
    double original = seal_original_context(&params[PARAM_ORIGINAL], request);
    double factor;
    seal_status status = seal_scale_factor("ntk", params[PARAM_FACTOR].number, original, request, &factor,
                                           error, error_capacity);
    if (status != SEAL_OK) return status;
    double base = request->theta * pow(factor, d / (d - 2.0));
    for (uint32_t i = 0; i < plan->frequency_count; i++) {
        plan->inverse_frequencies[i] = 1.0 / pow(base, (2.0 * i) / d);
    }
    plan->effective_context = seal_scaled_reach(original, factor, params[PARAM_FACTOR].number == 0.0, request);
    seal_scale_label(plan, "ntk", factor);
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
    .name = "ntk",
    .version = "1.0.0",
    .description = "Static NTK-aware RoPE scaling: the base becomes base * s^(d/(d-2)) so a model trained "
                   "on L positions addresses about s * L.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .context_extension = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
