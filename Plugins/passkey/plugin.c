/*
 * seal-passkey: the pass-key retrieval task.
 *
 * A number is hidden at some depth of repetitive filler text, and the model is asked for it
 * at the end. In multi-key mode several named keys are hidden ("the pass key of the red
 * door is N") and one of them is asked for. Samples are a pure function of (seed, index,
 * sample count, purpose, target length, parameters, tokenizer). The prompt is sized with the
 * host's token counter one filler sentence at a time, so "8K tokens" means 8K tokens of the
 * model that will read it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal_plugin.h"
#include "seal_task_kit.h"

enum { PARAM_DIGITS, PARAM_DEPTH_MODE, PARAM_DEPTH, PARAM_KEYS, PARAM_COUNT };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_DIGITS] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "digits",
        .description = "Digits of the pass key (no leading zero).",
        .default_value = { .type = SEAL_PARAM_INT, .integer = 5 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 1,
        .maximum = 9,
    },
    [PARAM_DEPTH_MODE] = SEAL_KIT_DEPTH_MODE_PARAMETER(
        "Where the asked key sits: at a random depth, at `depth` percent of the filler, "
        "or spread evenly over the data set (0% for the first sample, 100% for the last)."),
    [PARAM_DEPTH] = SEAL_KIT_DEPTH_PARAMETER(
        "Percent of the filler before the asked key (0 = start, 100 = end) for depth_mode \"fixed\"."),
    [PARAM_KEYS] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "keys",
        .description = "Pass keys hidden in the filler; with more than one, each is named (\"the pass key of the red door\") "
                       "and one is asked for. The others sit at random depths.",
        .default_value = { .type = SEAL_PARAM_INT, .integer = 1 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 1,
        .maximum = 32,
    },
};

static const char intro[] =
    "There is an important info hidden inside a lot of irrelevant text. "
    "Find it and memorize it. I will quiz you about the important information there.\n\n";
static const char *const filler[5] = {
    "The grass is green.", "The sky is blue.", "The sun is yellow.", "Here we go.", "There and back again.",
};
static const char *const colours[16] = {
    "red", "blue", "green", "yellow", "black", "white", "orange", "purple",
    "brown", "grey", "pink", "silver", "golden", "violet", "scarlet", "teal",
};
static const char *const things[16] = {
    "door", "box", "gate", "chest", "safe", "locker", "drawer", "vault",
    "cabinet", "trunk", "closet", "shed", "garage", "cellar", "attic", "tower",
};

#define MAX_KEYS 32
#define MAX_SENTENCES (16 * 1024 * 1024)
#define TRAINING_SALT 0x7061737370617373ull

/** The random choices of one sample: drawn before any length is known. */
typedef struct choice {
    int keys;
    int asked;                      /* which key is asked */
    char key[MAX_KEYS][16];
    char name[MAX_KEYS][32];        /* "red door"; empty with one key */
    double depth[MAX_KEYS];         /* fraction of the filler before each key */
} choice;

static void key_sentence(const choice *c, int k, char *out, size_t capacity) {
    if (c->keys == 1) {
        snprintf(out, capacity, "The pass key is %s. Remember it. %s is the pass key.", c->key[k], c->key[k]);
    } else {
        snprintf(out, capacity, "The pass key of the %s is %s. Remember it. %s is the pass key of the %s.",
                 c->name[k], c->key[k], c->key[k], c->name[k]);
    }
}

static int64_t slot_of(double depth, int64_t sentences) {
    int64_t slot = (int64_t)(depth * (double)(sentences + 1));
    return slot > sentences ? sentences : slot;
}

static void build(const void *state, int64_t sentences, seal_kit_text *out) {
    const choice *c = state;
    char sentence[160];
    int first = 1;
    seal_kit_append(out, intro, sizeof intro - 1);
    for (int64_t i = 0; i <= sentences && !out->failed; i++) {
        for (int k = 0; k < c->keys; k++) {
            if (slot_of(c->depth[k], sentences) != i) continue;
            key_sentence(c, k, sentence, sizeof sentence);
            if (!first) seal_kit_puts(out, " ");
            seal_kit_puts(out, sentence);
            first = 0;
        }
        if (i < sentences) {
            if (!first) seal_kit_puts(out, " ");
            seal_kit_puts(out, filler[i % 5]);
            first = 0;
        }
    }
    if (c->keys == 1) {
        seal_kit_puts(out, "\n\nWhat is the pass key? The pass key is");
    } else {
        seal_kit_printf(out, "\n\nWhat is the pass key of the %s? The pass key of the %s is",
                        c->name[c->asked], c->name[c->asked]);
    }
}

static void choose(choice *c, const seal_value *params, const seal_task_request *request) {
    uint64_t state = seal_kit_stream(seal_kit_purpose_seed(request, TRAINING_SALT), request->index, 0);
    int64_t digits = params[PARAM_DIGITS].integer;
    uint64_t low = 1;
    for (int64_t i = 1; i < digits; i++) low *= 10;
    c->keys = (int)params[PARAM_KEYS].integer;
    int used[256] = {0};
    for (int k = 0; k < c->keys; k++) {
        snprintf(c->key[k], sizeof c->key[k], "%llu", (unsigned long long)(low + seal_kit_next(&state) % (low * 9)));
        int name;
        do { name = (int)(seal_kit_next(&state) % 256); } while (used[name]);
        used[name] = 1;
        snprintf(c->name[k], sizeof c->name[k], "%s %s", colours[name / 16], things[name % 16]);
        c->depth[k] = seal_kit_uniform(&state);
    }
    c->asked = (int)(seal_kit_next(&state) % (uint64_t)c->keys);
    /* The asked key keeps its random depth unless depth_mode fixes or spreads it. */
    c->depth[c->asked] = seal_kit_depth(params[PARAM_DEPTH_MODE].string, params[PARAM_DEPTH].number, request,
                                        c->depth[c->asked]);
}

static seal_status make_sample(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity) {
    seal_status status = seal_kit_check_request(request, param_count, PARAM_COUNT, "passkey", error, error_capacity);
    if (status != SEAL_OK) return status;
    choice c;
    choose(&c, params, request);
    int64_t sentences = 0;
    seal_kit_text prompt = {0};
    status = seal_kit_fit_prompt(host, request->target_tokens, 0, MAX_SENTENCES, build, &c, &sentences, &prompt,
                                 error, error_capacity);
    if (status != SEAL_OK) return status;
    char prefix[96], label[128], fields[96];
    if (c.keys == 1) {
        snprintf(prefix, sizeof prefix, "The pass key is");
    } else {
        snprintf(prefix, sizeof prefix, "The pass key of the %s is", c.name[c.asked]);
    }
    snprintf(label, sizeof label, "%s %s.", prefix, c.key[c.asked]);
    int64_t slot = slot_of(c.depth[c.asked], sentences);
    snprintf(fields, sizeof fields, "{\"depth\":%.4g,\"keys\":%d}",
             sentences > 0 ? 100.0 * (double)slot / (double)sentences : 0.0, c.keys);
    return seal_kit_emit(out, &prompt, c.key[c.asked], label, prefix, fields, "passkey", error, error_capacity);
}

static seal_status score(const seal_host *host, const seal_value *params, uint32_t param_count,
                         const seal_task_sample *sample, const char *output, seal_task_score *out,
                         char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    (void)param_count;
    if (!seal_kit_score_integer(sample->answer, output, out)) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "passkey: the sample's answer is not a pass key (digits only)");
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
    .name = "passkey",
    .version = "2.0.0",
    .description = "Pass-key retrieval: a number (or several named ones) hidden at some depth of filler text, "
                   "one asked for at the end. Score 1 when the last integer of the output is the key.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .task = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
