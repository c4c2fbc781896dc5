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

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_DEPTH_MODE] = SEAL_KIT_DEPTH_MODE_PARAMETER(
        "Which pair is asked: a random one, the one at `depth` percent of the object, "
        "or depths spread evenly over the data set."),
    [PARAM_DEPTH] = SEAL_KIT_DEPTH_PARAMETER(
        "Position of the asked pair in percent of the object (0 = first, 100 = last) for depth_mode \"fixed\"."),
};

#define MAX_PAIRS (1 << 18)
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

static void build(const void *state, int64_t pairs, seal_kit_text *out) {
    const object *o = state;
    char key[37], value[37];
    seal_kit_puts(out, "Extract the value corresponding to the specified key in the JSON object below.\n\nJSON data:\n{");
    for (int64_t i = 0; i < pairs && !out->failed; i++) {
        pair(o, i, key, value);
        seal_kit_printf(out, "%s\"%s\": \"%s\"", i == 0 ? "" : ",\n ", key, value);
    }
    pair(o, seal_kit_unit_at(o->depth, pairs), key, value);
    seal_kit_printf(out, "}\n\nKey: \"%s\"\nCorresponding value:", key);
}

static seal_status make_sample(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity) {
    seal_status status = seal_kit_check_request(request, param_count, PARAM_COUNT, "kv", error, error_capacity);
    if (status != SEAL_OK) return status;
    object o = { .seed = seal_kit_purpose_seed(request, TRAINING_SALT), .index = request->index };
    uint64_t state = seal_kit_stream(o.seed, o.index, 0);
    o.depth = seal_kit_depth(params[PARAM_DEPTH_MODE].string, params[PARAM_DEPTH].number, request, seal_kit_uniform(&state));
    int64_t pairs = 1;
    seal_kit_text prompt = {0};
    status = seal_kit_fit_prompt(host, request->target_tokens, 1, MAX_PAIRS, build, &o, &pairs, &prompt,
                                 error, error_capacity);
    if (status != SEAL_OK) return status;
    int64_t asked = seal_kit_unit_at(o.depth, pairs);
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
