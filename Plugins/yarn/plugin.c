/*
 * seal-yarn: YaRN RoPE scaling (Peng et al. 2023), as HF rope_scaling type "yarn".
 *
 * Each frequency blends its interpolated value inv_freq / s and its original value by a
 * linear ramp over the rotary pair index: pairs that turn more than beta_fast times over the
 * original context keep their frequency, pairs that turn fewer than beta_slow times are
 * interpolated, and those between are mixed. The correction dimension for r rotations is
 *     d * ln(L / (2 pi r)) / (2 ln base),
 * floored (beta_fast) and ceiled (beta_slow), clamped to [0, d - 1]. The logits are sharpened
 * by the attention factor (default 0.1 ln s + 1) applied to cos and sin.
 *
 * Parameters (HF `rope_scaling` names):
 *   factor (float, 0 = automatic: max(1, requested / original))  s
 *   original_max_position_embeddings (int, 0 = the model's trained context)  L
 *   beta_fast (float, 32), beta_slow (float, 1)
 *   attention_factor (float, 0 = 0.1 ln s + 1)
 */
#include <math.h>

#include "seal_rope_common.h"

enum { PARAM_FACTOR, PARAM_ORIGINAL, PARAM_BETA_FAST, PARAM_BETA_SLOW, PARAM_ATTENTION, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_FACTOR] = SEAL_FLOAT_PARAMETER("factor", "Scale s; the context grows to s * L. 0 = automatic, "
                                 "max(1, requested length / L).", 0.0, 0.0, 1024.0),
    [PARAM_ORIGINAL] = SEAL_ORIGINAL_CONTEXT_PARAMETER,
    [PARAM_BETA_FAST] = SEAL_FLOAT_PARAMETER("beta_fast", "Pairs turning at least this many times over L keep their "
                                    "frequency (extrapolated).", 32.0, 0.001, 1e6),
    [PARAM_BETA_SLOW] = SEAL_FLOAT_PARAMETER("beta_slow", "Pairs turning at most this many times over L are fully "
                                    "interpolated (divided by s).", 1.0, 0.001, 1e6),
    [PARAM_ATTENTION] = SEAL_FLOAT_PARAMETER("attention_factor", "Multiplies cos and sin (logits by its square); "
                                    "0 = 0.1 ln s + 1.", 0.0, 0.0, 16.0),
};

static double correction_dimension(double rotations, double dims, double base, double original) {
    return dims * log(original / (rotations * 2.0 * SEAL_PI)) / (2.0 * log(base));
}

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT || request->trained_context <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "yarn: missing parameters or trained context length");
    }
    if (request->theta <= 1.0) {
        return seal_error(error, error_capacity, SEAL_ERROR_UNSUPPORTED, "yarn: needs a RoPE base above 1");
    }
    double original = seal_original_context(&params[PARAM_ORIGINAL], request);
    double factor;
    seal_status status = seal_scale_factor("yarn", params[PARAM_FACTOR].number, original, request, &factor,
                                           error, error_capacity);
    if (status != SEAL_OK) return status;
    double fast = params[PARAM_BETA_FAST].number, slow = params[PARAM_BETA_SLOW].number;
    if (!(fast > slow)) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "yarn: beta_fast must be greater than beta_slow (defaults 32 and 1)");
    }
    double dims = request->rotary_dims;
    double low = floor(correction_dimension(fast, dims, request->theta, original));
    double high = ceil(correction_dimension(slow, dims, request->theta, original));
    if (low < 0) low = 0;
    if (high > dims - 1) high = dims - 1;
    if (low == high) high += 0.001; /* avoids a zero-width ramp, as the published code does */
    for (uint32_t i = 0; i < plan->frequency_count; i++) {
        double ramp = ((double)i - low) / (high - low);
        ramp = ramp < 0 ? 0 : (ramp > 1 ? 1 : ramp);
        double keep = 1.0 - ramp; /* weight of the original (extrapolated) frequency */
        double original_frequency = plan->inverse_frequencies[i];
        plan->inverse_frequencies[i] = original_frequency / factor * (1.0 - keep) + original_frequency * keep;
    }
    double attention = params[PARAM_ATTENTION].number;
    if (attention == 0.0) attention = factor > 1.0 ? 0.1 * log(factor) + 1.0 : 1.0;
    plan->attention_factor = attention;
    plan->effective_context = seal_scaled_reach(original, factor, params[PARAM_FACTOR].number == 0.0, request);
    seal_scale_label(plan, "yarn", factor);
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
    .name = "yarn",
    .version = "1.0.0",
    .description = "YaRN: per-frequency ramp between interpolated and original RoPE frequencies, with the "
                   "attention factor 0.1 ln s + 1 (Peng et al. 2023; HF rope_scaling \"yarn\").",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .context_extension = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
