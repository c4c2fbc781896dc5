/*
 * seal-llama3: Llama-3.1 RoPE scaling (HF rope_scaling type "llama3").
 *
 * With wavelength 2 pi / inv_freq and the original context L: wavelengths longer than
 * L / low_freq_factor are divided by `factor` (frequency / factor), those shorter than
 * L / high_freq_factor are unchanged, and in between the frequency blends the two with
 *     smooth = (L / wavelength - low_freq_factor) / (high_freq_factor - low_freq_factor),
 *     inv_freq' = (1 - smooth) * inv_freq / factor + smooth * inv_freq.
 *
 * Parameters (HF `rope_scaling` names): factor (8), low_freq_factor (1), high_freq_factor (4),
 * original_max_position_embeddings (0 = the model's trained context, 8192 for Llama 3).
 */
#include <math.h>

#include "seal_rope_common.h"

enum { PARAM_FACTOR, PARAM_LOW, PARAM_HIGH, PARAM_ORIGINAL, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_FACTOR] = SEAL_FLOAT_PARAMETER("factor", "Scale of the low frequencies; the context grows to factor * L.",
                                 8.0, 1.0, 1024.0),
    [PARAM_LOW] = SEAL_FLOAT_PARAMETER("low_freq_factor", "Wavelengths above L / low_freq_factor are fully scaled.",
                              1.0, 0.001, 1e6),
    [PARAM_HIGH] = SEAL_FLOAT_PARAMETER("high_freq_factor", "Wavelengths below L / high_freq_factor are unchanged.",
                               4.0, 0.001, 1e6),
    [PARAM_ORIGINAL] = SEAL_ORIGINAL_CONTEXT_PARAMETER,
};

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT || request->trained_context <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "llama3: missing parameters or trained context length");
    }
    double factor = params[PARAM_FACTOR].number;
    double low = params[PARAM_LOW].number, high = params[PARAM_HIGH].number;
    if (!(high > low)) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "llama3: high_freq_factor must be greater than low_freq_factor (defaults 4 and 1)");
    }
    double original = seal_original_context(&params[PARAM_ORIGINAL], request);
    double low_wavelength = original / low, high_wavelength = original / high;
    for (uint32_t i = 0; i < plan->frequency_count; i++) {
        double frequency = plan->inverse_frequencies[i];
        double wavelength = 2.0 * SEAL_PI / frequency;
        if (wavelength > low_wavelength) {
            frequency /= factor;
        } else if (wavelength >= high_wavelength) {
            double smooth = (original / wavelength - low) / (high - low);
            frequency = (1.0 - smooth) * frequency / factor + smooth * frequency;
        }
        plan->inverse_frequencies[i] = frequency;
    }
    plan->effective_context = seal_scaled_reach(original, factor, 0, request);
    seal_scale_label(plan, "llama3", factor);
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
    .name = "llama3",
    .version = "1.0.0",
    .description = "Llama-3.1 RoPE scaling: long wavelengths divided by factor, short ones kept, a smooth "
                   "blend between (HF rope_scaling \"llama3\").",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .context_extension = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
