/* The passkey plugin as released with plugin ABI 1.0 (kept to prove 1.0 plugins keep loading). */
/*
 * seal-passkey: the pass-key retrieval task.
 *
 * A number is hidden at some depth of repetitive filler text, and the model is
 * asked for it at the end. Samples are a pure function of (seed, index,
 * target length, parameters, tokenizer): the same call always yields the same
 * sample. The prompt is sized with the host's token counter, so "8K tokens"
 * means 8K tokens of the model that will read it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal_plugin.h"

enum { PARAM_DIGITS, PARAM_DEPTH, PARAM_COUNT };

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
    [PARAM_DEPTH] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "depth",
        .description = "Where the key sits in the filler, 0 = start, 1 = end; -1 = random per sample.",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = -1.0 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = -1.0,
        .maximum = 1.0,
    },
};

static const char intro[] =
    "There is an important info hidden inside a lot of irrelevant text. "
    "Find it and memorize it. I will quiz you about the important information there.\n\n";
static const char filler[] =
    "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.";
static const char question[] = "\n\nWhat is the pass key? The pass key is";

/** Longest prompt this plugin builds, so a typo in a request cannot exhaust memory. */
#define MAX_TARGET_TOKENS (4 * 1024 * 1024)

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/** The random choices of one sample: drawn before any length is known. */
typedef struct choice {
    char key[16];
    double depth;   /* fraction of the filler before the key */
} choice;

static choice choose(uint64_t seed, uint64_t index, int64_t digits, double depth) {
    uint64_t state = seed ^ (index * 0xD1B54A32D192ED03ull);
    splitmix64(&state);
    uint64_t low = 1;
    for (int64_t i = 1; i < digits; i++) low *= 10;
    uint64_t high = low * 10;
    choice result;
    snprintf(result.key, sizeof result.key, "%llu",
             (unsigned long long)(low + splitmix64(&state) % (high - low)));
    double random = (double)(splitmix64(&state) >> 11) / 9007199254740992.0; /* [0, 1) */
    result.depth = depth >= 0 ? depth : random;
    return result;
}

/** The full prompt with `units` filler sentences groups; caller frees. */
static char *build(const choice *c, int64_t units, size_t *length) {
    char sentence[96];
    int sentence_length = snprintf(sentence, sizeof sentence,
                                   "The pass key is %s. Remember it. %s is the pass key.", c->key, c->key);
    int64_t slot = (int64_t)(c->depth * (double)(units + 1));
    if (slot > units) slot = units;
    size_t capacity = sizeof intro + sizeof question + (size_t)sentence_length + 2
                      + (size_t)units * sizeof filler;
    char *text = malloc(capacity);
    if (text == NULL) return NULL;
    size_t at = 0;
    memcpy(text, intro, sizeof intro - 1);
    at += sizeof intro - 1;
    for (int64_t i = 0; i <= units; i++) {
        if (i == slot) {
            if (i > 0) text[at++] = ' ';
            memcpy(text + at, sentence, (size_t)sentence_length);
            at += (size_t)sentence_length;
        }
        if (i < units) {
            if (i > 0 || slot == 0) text[at++] = ' ';
            memcpy(text + at, filler, sizeof filler - 1);
            at += sizeof filler - 1;
        }
    }
    memcpy(text + at, question, sizeof question);
    *length = at + sizeof question - 1;
    return text;
}

static seal_status make_sample(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity) {
    if (param_count < PARAM_COUNT) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "passkey: missing parameters");
    }
    if (!SEAL_HAS_FIELD(host, seal_host, count_tokens) || host->count_tokens == NULL) {
        return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK,
                          "passkey: the host offers no token counter, which sizing the prompt needs");
    }
    if (request->target_tokens <= 0 || request->target_tokens > MAX_TARGET_TOKENS) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "passkey: target_tokens must be in 1...4194304");
    }
    choice c = choose(request->seed, request->index, params[PARAM_DIGITS].integer, params[PARAM_DEPTH].number);
    int64_t target = request->target_tokens;

    /* Estimate filler units from a bare prompt and one unit, then correct on the real count. */
    size_t length = 0;
    char *text = build(&c, 0, &length);
    if (text == NULL) return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, "passkey: out of memory");
    int64_t fixed = host->count_tokens(host->context, text, length);
    free(text);
    char unit_text[sizeof filler + 1];
    snprintf(unit_text, sizeof unit_text, " %s", filler);
    int64_t unit = host->count_tokens(host->context, unit_text, strlen(unit_text));
    if (fixed < 0 || unit <= 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK, "passkey: the host's token counter failed");
    }
    int64_t units = target > fixed ? (target - fixed + unit / 2) / unit : 0;
    int64_t best_units = units, best_error = -1;
    for (int attempt = 0; attempt < 6; attempt++) {
        text = build(&c, units, &length);
        if (text == NULL) return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, "passkey: out of memory");
        int64_t count = host->count_tokens(host->context, text, length);
        free(text);
        if (count < 0) {
            return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK, "passkey: the host's token counter failed");
        }
        int64_t miss = count > target ? count - target : target - count;
        if (best_error < 0 || miss < best_error) {
            best_error = miss;
            best_units = units;
        }
        /* Round the correction to whole units; stop when no whole unit would help. */
        int64_t step = (target - count) / unit;
        if ((target - count) % unit * 2 >= unit) step++;
        if ((target - count) % unit * 2 <= -unit) step--;
        if (step == 0 || units + step < 0) break;
        units += step;
    }

    text = build(&c, best_units, &length);
    if (text == NULL) return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, "passkey: out of memory");
    seal_status status = out->prompt.append(out->prompt.context, text, length);
    free(text);
    char label[64];
    snprintf(label, sizeof label, "The pass key is %s.", c.key);
    if (status == SEAL_OK) status = seal_sink_puts(&out->answer, c.key);
    if (status == SEAL_OK) status = seal_sink_puts(&out->label, label);
    if (status != SEAL_OK) {
        return seal_error(error, error_capacity, status, "passkey: the host refused the sample text");
    }
    return SEAL_OK;
}

static seal_status score(const seal_host *host, const seal_value *params, uint32_t param_count,
                         const seal_task_sample *sample, const char *output, seal_task_score *out,
                         char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    (void)param_count;
    const char *answer = sample->answer;
    size_t answer_length = strlen(answer);
    if (answer_length == 0 || strspn(answer, "0123456789") != answer_length) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "passkey: the sample's answer is not a pass key (digits only)");
    }
    /* The prediction is the last run of digits in the output. */
    const char *last = NULL;
    size_t last_length = 0;
    for (const char *p = output; *p != '\0';) {
        size_t run = strspn(p, "0123456789");
        if (run > 0) {
            last = p;
            last_length = run;
            p += run;
        } else {
            p++;
        }
    }
    int correct = last != NULL && last_length == answer_length && memcmp(last, answer, answer_length) == 0;
    out->score = correct ? 1.0 : 0.0;
    out->correct = correct;
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
    .version = "1.0.0",
    .description = "Pass-key retrieval: a number hidden at some depth of filler text, asked for at the end. "
                   "Score 1 when the last integer of the output is the key.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .task = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
