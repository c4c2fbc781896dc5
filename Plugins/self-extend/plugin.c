/*
 * seal-self-extend: Self-Extend (Jin et al. 2024, "LLM Maybe LongLM"), the exact two-map method.
 *
 * Query i attends key j <= i with normal RoPE positions (i, j) when i - j < W (the neighbour
 * window), and with grouped positions (i / G + W - W / G, j / G) otherwise (floor division).
 * The two sets of logits are merged by distance before ONE softmax; seal does that from the
 * two bands this plugin returns. Frequencies are untouched. A model trained on L positions
 * then reaches (L - W) * G + W.
 *
 * Parameters (no HF equivalent; llama.cpp calls them --grp-attn-n and --grp-attn-w):
 *   group  (int, 0 = automatic: the smallest G whose reach covers the requested length)  G
 *   window (int, 0 = automatic: min(1024, L / 2))  W, must be below L
 */
#include <stdio.h>

#include "seal_plugin.h"

enum { PARAM_GROUP, PARAM_WINDOW, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_GROUP] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "group",
        .description = "Group size G: distant keys sit at j / G. 0 = the smallest G reaching the requested length.",
        .default_value = { .type = SEAL_PARAM_INT, .integer = 0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0,
        .maximum = 4096,
    },
    [PARAM_WINDOW] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "window",
        .description = "Neighbour window W: keys closer than W keep normal positions. Must be below the "
                       "trained context L. 0 = min(1024, L / 2).",
        .default_value = { .type = SEAL_PARAM_INT, .integer = 0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0,
        .maximum = 16777216,
    },
};

static seal_status plan(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity) {
    (void)host;
    int64_t trained = request->trained_context;
    if (param_count < PARAM_COUNT || trained <= 1 || trained > 16777216 || plan->band_capacity < 2) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "self-extend: missing parameters, trained context out of range or no room for two bands");
    }
    int64_t window = params[PARAM_WINDOW].integer;
    if (window == 0) window = trained / 2 < 1024 ? trained / 2 : 1024;
    if (window < 1 || window >= trained) {
        char message[160];
        snprintf(message, sizeof message,
                 "self-extend: window %lld must be at least 1 and below the trained context %lld",
                 (long long)window, (long long)trained);
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, message);
    }
    int64_t group = params[PARAM_GROUP].integer;
    if (group == 0) {
        /* Smallest G with (L - W) * G + W >= requested length; the schema bounds G to 4096. */
        int64_t wanted = request->sequence_length > trained ? request->sequence_length : trained;
        group = (wanted - window + (trained - window) - 1) / (trained - window);
        if (group < 1) group = 1;
        if (group > 4096) {
            return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                              "self-extend: the requested length needs a group above 4096; choose a larger window");
        }
    }
    /* (L - W) * G + W: at most 2^24 * 4096 + 2^24, well inside int64. */
    plan->effective_context = (trained - window) * group + window;
    if (group > 1) {
        plan->bands[0] = (seal_position_band){ 0, window - 1, 1, 0, 1, 0 };
        plan->bands[1] = (seal_position_band){ window, -1, group, window - window / group, group, 0 };
        plan->band_count = 2;
    }
    if (plan->label != NULL && plan->label_capacity > 0) {
        snprintf(plan->label, plan->label_capacity, "self-extend G=%lld W=%lld", (long long)group, (long long)window);
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
    .name = "self-extend",
    .version = "1.0.0",
    .description = "Self-Extend: neighbours at normal positions, distant tokens grouped by G, both merged "
                   "before one softmax; reaches (L - W) * G + W (Jin et al. 2024).",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .context_extension = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
