/*
 * seal-kv: key-value retrieval over a JSON object of random UUIDs.
 *
 * Every key and value is a fresh random UUID, so nothing but retrieval finds the answer.
 * Samples are a pure function of (seed, index, sample count, purpose, target, parameters,
 * tokenizer); the number of pairs is fitted to the target with the host's token counter.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal_plugin.h"
#include "seal_task_kit.h"

enum { PARAM_DEPTH_MODE, PARAM_DEPTH, PARAM_COUNT };
enum { DEPTH_RANDOM, DEPTH_FIXED, DEPTH_SPREAD, DEPTH_MODE_COUNT };

static const char *const depth_modes[DEPTH_MODE_COUNT] = { "random", "fixed", "spread" };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_DEPTH_MODE] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_STRING,
        .name = "depth_mode",
        .description = "Which pair is asked: a random one, the one at `depth` percent of the object, "
                       "or depths spread evenly over the data set.",
        .default_value = { .type = SEAL_PARAM_STRING, .string = "random" },
        .allowed_values = depth_modes,
        .allowed_value_count = DEPTH_MODE_COUNT,
    },
    [PARAM_DEPTH] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "depth",
        .description = "Position of the asked pair in percent of the object (0 = first, 100 = last) for depth_mode \"fixed\".",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = 50.0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 0.0,
        .maximum = 100.0,
    },
};

#define MAX_PAIRS (1 << 18)
#define MAX_TARGET_TOKENS (4 * 1024 * 1024)
#define TRAINING_SALT 0x6B657976616C7565ull

typedef struct object {
    uint64_t seed;
    uint64_t index;
    double depth;
} object;

static void pair(const object *o, int64_t i, char key[37], char value[37]) {
    uint64_t state = seal_kit_stream(o->seed, o->index, (uint64_t)i + 1);
    seal_kit_uuid(&state, key);
    seal_kit_uuid(&state, value);
}

static int64_t asked_pair(const object *o, int64_t pairs) {
    int64_t k = (int64_t)(o->depth * (double)(pairs - 1) + 0.5);
    return k < 0 ? 0 : (k >= pairs ? pairs - 1 : k);
}

static void build(const void *state, int64_t pairs, seal_kit_text *out) {
    const object *o = state;
    char key[37], value[37];
    seal_kit_puts(out, "Extract the value corresponding to the specified key in the JSON object below.\n\nJSON data:\n{");
    for (int64_t i = 0; i < pairs && !out->failed; i++) {
        pair(o, i, key, value);
        seal_kit_printf(out, "%s\"%s\": \"%s\"", i == 0 ? "" : ",\n ", key, value);
    }
    pair(o, asked_pair(o, pairs), key, value);
    seal_kit_printf(out, "}\n\nKey: \"%s\"\nCorresponding value:", key);
}

static seal_status make_sample(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity) {
    if (param_count < PARAM_COUNT) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "kv: missing parameters");
    }
    if (request->target_tokens <= 0 || request->target_tokens > MAX_TARGET_TOKENS) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "kv: target_tokens must be in 1...4194304");
    }
    int training = SEAL_HAS_FIELD(request, seal_task_request, purpose) && request->purpose == SEAL_TASK_PURPOSE_TRAINING;
    uint64_t count = SEAL_HAS_FIELD(request, seal_task_request, sample_count) ? request->sample_count : 0;
    object o = { .seed = training ? request->seed ^ TRAINING_SALT : request->seed, .index = request->index };
    uint64_t state = seal_kit_stream(o.seed, o.index, 0);
    const char *mode = params[PARAM_DEPTH_MODE].string;
    o.depth = strcmp(mode, "fixed") == 0 ? params[PARAM_DEPTH].number / 100.0
            : strcmp(mode, "spread") == 0 ? (count > 1 ? (double)request->index / (double)(count - 1) : 0.5)
            : seal_kit_uniform(&state);
    int64_t pairs = 1;
    seal_status status = seal_kit_fit(host, request->target_tokens, 1, MAX_PAIRS, build, &o, &pairs, error, error_capacity);
    if (status != SEAL_OK) return status;
    seal_kit_text prompt = {0};
    build(&o, pairs, &prompt);
    int64_t asked = asked_pair(&o, pairs);
    char key[37], value[37], prefix[96], label[160], fields[64];
    pair(&o, asked, key, value);
    snprintf(prefix, sizeof prefix, "The value of key \"%s\" is", key);
    snprintf(label, sizeof label, "%s \"%s\".", prefix, value);
    snprintf(fields, sizeof fields, "{\"depth\":%.4g,\"pairs\":%lld}",
             pairs > 1 ? 100.0 * (double)asked / (double)(pairs - 1) : 0.0, (long long)pairs);
    return seal_kit_emit(out, &prompt, value, label, prefix, fields, "kv", error, error_capacity);
}

/** Whether `text` starts with a UUID shape (8-4-4-4-12 hex digits). */
static int is_uuid(const char *text) {
    for (int i = 0; i < 36; i++) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return 0;
        } else if (!isxdigit((unsigned char)c)) {
            return 0;
        }
    }
    return 1;
}

static seal_status score(const seal_host *host, const seal_value *params, uint32_t param_count,
                         const seal_task_sample *sample, const char *output, seal_task_score *out,
                         char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    (void)param_count;
    if (strlen(sample->answer) != 36 || !is_uuid(sample->answer)) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "kv: the sample's answer is not a UUID");
    }
    const char *found = NULL;
    size_t length = strlen(output);
    for (size_t i = 0; i + 36 <= length; i++) {
        if ((i == 0 || !isxdigit((unsigned char)output[i - 1])) && is_uuid(output + i)
            && (i + 36 == length || !isxdigit((unsigned char)output[i + 36]))) {
            found = output + i;
            break;
        }
    }
    int correct = found != NULL;
    for (int i = 0; correct && i < 36; i++) {
        correct = tolower((unsigned char)found[i]) == tolower((unsigned char)sample->answer[i]);
    }
    out->score = correct ? 1.0 : 0.0;
    out->correct = correct;
    if (found == NULL) {
        seal_kit_reason(out, "no UUID in the output");
    } else if (!correct) {
        seal_kit_reason(out, "predicted %.36s, expected %s", found, sample->answer);
    }
    return SEAL_OK;
}

static const seal_task_functions functions = {
    .struct_size = sizeof(seal_task_functions),
    .make_sample = make_sample,
    .score = score,
};

static const seal_plugin_descriptor descriptor = {
    .struct_size = sizeof(seal_plugin_descriptor),
    .abi_major = SEAL_PLUGIN_ABI_MAJOR,
    .abi_minor = SEAL_PLUGIN_ABI_MINOR,
    .kind = SEAL_KIND_TASK,
    .name = "kv",
    .version = "1.0.0",
    .description = "Key-value retrieval: a JSON object of random UUID keys and values; the model is asked for one "
                   "key's value. Score 1 when the first UUID of the output is that value.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .task = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
