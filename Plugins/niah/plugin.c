/*
 * seal-niah: needle in a haystack.
 *
 * A needle sentence (an invented fact) is placed at a depth of a long, dull text, and the
 * model is asked a question only the needle answers. Scored by ROUGE-1 recall: the share of
 * the answer's words (with their counts) that appear in the output. Samples are a pure
 * function of (seed, index, sample count, purpose, target, parameters, tokenizer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "haystack.h"
#include "model_needles.h"
#include "needles.h"
#include "seal_plugin.h"
#include "seal_task_kit.h"

enum { PARAM_DEPTH_MODE, PARAM_DEPTH, PARAM_NEEDLE, PARAM_PASS_RECALL, PARAM_NEEDLE_SOURCE, PARAM_ATTEMPTS, PARAM_COUNT };

static const char *const needle_sources[] = { "builtin", "model" };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_DEPTH_MODE] = SEAL_KIT_DEPTH_MODE_PARAMETER(
        "Where the needle sits: a random depth, `depth` percent of the haystack, "
        "or depths spread evenly over the data set."),
    [PARAM_DEPTH] = SEAL_KIT_DEPTH_PARAMETER(
        "Percent of the haystack before the needle (0 = start, 100 = end) for depth_mode \"fixed\"."),
    [PARAM_NEEDLE] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "needle",
        .description = "Which of the 10 needles (of the purpose's set) to hide; -1 = rotate through them by sample.",
        .default_value = { .type = SEAL_PARAM_INT, .integer = -1 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = -1,
        .maximum = NEEDLE_COUNT - 1,
    },
    [PARAM_PASS_RECALL] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_FLOAT,
        .name = "pass_recall",
        .description = "ROUGE-1 recall of the answer at which a sample counts as correct (the score is the recall itself).",
        .default_value = { .type = SEAL_PARAM_FLOAT, .number = 0.5 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_MIN_EXCLUSIVE | SEAL_PARAM_HAS_MAX,
        .minimum = 0.0,
        .maximum = 1.0,
    },
    [PARAM_NEEDLE_SOURCE] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_STRING,
        .name = "needle_source",
        .description = "Where needles come from: the built-in sets, or the loaded model writing them zero-shot "
                       "(validated; training and evaluation topics differ).",
        .default_value = { .type = SEAL_PARAM_STRING, .string = "builtin" },
        .allowed_values = needle_sources,
        .allowed_value_count = 2,
    },
    [PARAM_ATTEMPTS] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_INT,
        .name = "attempts",
        .description = "With needle_source \"model\": topics to try before giving up on a sample.",
        .default_value = { .type = SEAL_PARAM_INT, .integer = 4 },
        .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX,
        .minimum = 1,
        .maximum = 8,
    },
};

#define MAX_SENTENCES (8 * 1024 * 1024)

typedef struct placement {
    const needle *needle;
    double depth;
} placement;

static int64_t slot_of(double depth, int64_t sentences) {
    int64_t slot = (int64_t)(depth * (double)sentences + 0.5);
    return slot > sentences ? sentences : slot;
}

static void build(const void *state, int64_t sentences, seal_kit_text *out) {
    const placement *p = state;
    int64_t slot = slot_of(p->depth, sentences);
    seal_kit_puts(out, "<book>");
    for (int64_t i = 0; i <= sentences && !out->failed; i++) {
        if (i == slot) {
            if (i > 0) seal_kit_puts(out, " ");
            seal_kit_puts(out, p->needle->sentence);
        }
        if (i < sentences) {
            if (i > 0 || slot == 0) seal_kit_puts(out, " ");
            seal_kit_puts(out, haystack[i % HAYSTACK_SENTENCES]);
        }
    }
    seal_kit_printf(out, "</book>\nBased on the content of the book, Question: %s\nAnswer:", p->needle->question);
}

static seal_status make_sample(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity) {
    seal_status status = seal_kit_check_request(request, param_count, PARAM_COUNT, "niah", error, error_capacity);
    if (status != SEAL_OK) return status;
    int training = seal_kit_training(request);
    const needle *set = training ? training_needles : evaluation_needles;
    int64_t chosen = params[PARAM_NEEDLE].integer;
    placement p;
    p.needle = &set[chosen >= 0 ? chosen : (int64_t)((request->index + request->seed) % NEEDLE_COUNT)];
    written_needle written;
    int64_t attempt = 0;
    int from_model = strcmp(params[PARAM_NEEDLE_SOURCE].string, "model") == 0;
    if (from_model) {
        status = write_needle(host, request->seed, request->index, training, params[PARAM_ATTEMPTS].integer,
                              &written, &attempt, error, error_capacity);
        if (status != SEAL_OK) return status;
        p.needle = &written.view;
    }
    uint64_t state = seal_kit_stream(request->seed, request->index, 0);
    p.depth = seal_kit_depth(params[PARAM_DEPTH_MODE].string, params[PARAM_DEPTH].number, request, seal_kit_uniform(&state));
    int64_t sentences = 0;
    seal_kit_text prompt = {0};
    status = seal_kit_fit_prompt(host, request->target_tokens, 0, MAX_SENTENCES, build, &p, &sentences, &prompt,
                                 error, error_capacity);
    if (status != SEAL_OK) return status;
    char label[256], fields[96];
    snprintf(label, sizeof label, "%s%s%s.", p.needle->prefix, p.needle->prefix[0] ? " " : "", p.needle->answer);
    double depth = sentences > 0 ? 100.0 * (double)slot_of(p.depth, sentences) / (double)sentences : 0.0;
    if (from_model) {
        snprintf(fields, sizeof fields, "{\"depth\":%.4g,\"needle\":\"model\",\"attempts\":%lld}", depth, (long long)attempt);
    } else {
        snprintf(fields, sizeof fields, "{\"depth\":%.4g,\"needle\":%d}", depth, (int)(p.needle - set));
    }
    return seal_kit_emit(out, &prompt, p.needle->answer, label, p.needle->prefix, fields, "niah", error, error_capacity);
}

/* ---- ROUGE-1 recall ------------------------------------------------------------------ */

#define MAX_WORDS 64
#define MAX_WORD 32

static int is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/** Splits `text` into lower-case words (runs of letters, digits and non-ASCII bytes); returns the count. */
static int words_of(const char *text, char words[][MAX_WORD], int capacity) {
    int count = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
        if (!is_word_byte(*p)) {
            p++;
            continue;
        }
        int length = 0;
        while (is_word_byte(*p)) {
            if (count < capacity && length + 1 < MAX_WORD) {
                words[count][length++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
            }
            p++;
        }
        if (count < capacity) words[count++][length] = '\0';
        else count++;
    }
    return count;
}

static seal_status score(const seal_host *host, const seal_value *params, uint32_t param_count,
                         const seal_task_sample *sample, const char *output, seal_task_score *out,
                         char *error, size_t error_capacity) {
    (void)host;
    if (param_count < PARAM_COUNT) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "niah: missing parameters");
    }
    char reference[MAX_WORDS][MAX_WORD];
    int reference_count = words_of(sample->answer, reference, MAX_WORDS);
    if (reference_count == 0 || reference_count > MAX_WORDS) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "niah: the sample's answer must have 1 to 64 words");
    }
    /* Each output word matches at most one unmatched reference word (clipped counts). */
    int matched[MAX_WORDS] = {0};
    int hits = 0;
    char word[1][MAX_WORD];
    for (const char *p = output; *p != '\0';) {
        if (!is_word_byte((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *start = p;
        while (is_word_byte((unsigned char)*p)) p++;
        size_t length = (size_t)(p - start);
        char piece[MAX_WORD * 2];
        if (length >= sizeof piece) continue;
        memcpy(piece, start, length);
        piece[length] = '\0';
        if (words_of(piece, word, 1) != 1) continue;
        for (int i = 0; i < reference_count; i++) {
            if (!matched[i] && strcmp(reference[i], word[0]) == 0) {
                matched[i] = 1;
                hits++;
                break;
            }
        }
    }
    out->score = (double)hits / (double)reference_count;
    out->correct = out->score >= params[PARAM_PASS_RECALL].number;
    char missing[160] = "";
    size_t at = 0;
    for (int i = 0; i < reference_count && at + 2 < sizeof missing; i++) {
        if (matched[i]) continue;
        int wrote = snprintf(missing + at, sizeof missing - at, "%s%s", at ? ", " : "", reference[i]);
        if (wrote < 0) break;
        at += (size_t)wrote;
    }
    if (hits == reference_count) {
        seal_kit_reason(out, "recall %d/%d", hits, reference_count);
    } else {
        seal_kit_reason(out, "recall %d/%d (missing: %s)", hits, reference_count, missing);
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
    .name = "niah",
    .version = "1.0.0",
    .description = "Needle in a haystack: an invented fact hidden at a depth of plain essays (written for seal, "
                   "Apache-2.0), asked about at the end. Score: ROUGE-1 recall of the needle's answer.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .task = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
