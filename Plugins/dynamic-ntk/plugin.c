/*
 * seal-dynamic-ntk: dynamic NTK-aware RoPE scaling (HF rope_scaling type "dynamic").
 *
 * For a sequence of n > L positions the base becomes
 *     base' = base * ((factor * n / L) - (factor - 1))^(d/(d-2)),
 * and plain RoPE is kept for n <= L.
 *
 * Which n: the length the request WILL reach (prompt plus tokens to generate, the
 * `sequence_length` seal passes), chosen once per request and fixed for it. The usual
 * implementation re-derives the base at every step from the current length, so keys cached
 * under an older base go stale and the same short prompt answers differently after a long
 * one. Here every key of a session, cached or new, shares one base, and a new request starts
 * from its own length again. The reach is whatever the request asks (at least L).
 *
 * Parameters (HF `rope_scaling` names):
 *   factor (float, default 2)  the growth rate of the base with length
 *   original_max_position_embeddings (int, 0 = the model's trained context)  L
 */
#include <math.h>

#include "seal_rope_common.h"

enum { PARAM_FACTOR, PARAM_ORIGINAL, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_FACTOR] = SEAL_FLOAT_PARAMETER("factor", "Rate f: for n > L the base becomes base * (f * n / L - (f - 1))"
                                          "^(d/(d-2)), with n the length the request will reach, fixed for the request.",
                                          2.0, 1.0, 1024.0),
    [PARAM_ORIGINAL] = SEAL_ORIGINAL_CONTEXT_PARAMETER,
};

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT || request->trained_context <= 0 || request->sequence_length <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "dynamic-ntk: missing parameters, trained context or sequence length");
    }
    double d = request->rotary_dims;
    if (d <= 2) {
        return seal_error(error, error_capacity, SEAL_ERROR_UNSUPPORTED,
                          "dynamic-ntk: needs more than 2 rotary dimensions");
    }
    double original = seal_original_context(&params[PARAM_ORIGINAL], request);
    double factor = params[PARAM_FACTOR].number;
    double n = (double)request->sequence_length;
    double growth = 1.0;
    if (n > original) {
        growth = factor * n / original - (factor - 1.0);
        double base = request->theta * pow(growth, d / (d - 2.0));
        for (uint32_t i = 0; i < plan->frequency_count; i++) {
            plan->inverse_frequencies[i] = 1.0 / pow(base, (2.0 * i) / d);
        }
    }
    int64_t reach = request->sequence_length;
    if (reach < request->trained_context) reach = request->trained_context;
    if ((double)reach < original) reach = (int64_t)original;
    plan->effective_context = reach;
    if (plan->label != NULL && plan->label_capacity > 0) {
        snprintf(plan->label, plan->label_capacity, "dynamic-ntk base x%g at %lld", pow(growth, d / (d - 2.0)),
                 (long long)request->sequence_length);
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
    .name = "dynamic-ntk",
    .version = "1.0.0",
    .description = "Dynamic NTK-aware RoPE scaling: the base grows with the length the request will reach, "
                   "chosen once per request so cached and new keys always share one base.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .context_extension = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
