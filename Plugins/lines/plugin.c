/*
 * seal-lines: LongEval "lines", the retrieval task SEAL tunes on.
 *
 * A record of numbered lines, each holding a random integer; at the end the model is asked
 * for the integer of one line. The template follows LongEval word for word. Samples are a
 * pure function of (seed, index, sample count, purpose, target length, parameters,
 * tokenizer); the number of lines is fitted to the target with the host's token counter.
 * Training samples are drawn from another random stream than evaluation samples of the same
 * seed, so tuning never sees a test record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal_plugin.h"
#include "seal_task_kit.h"
#include "words.h"

enum { PARAM_INDEX_STYLE, PARAM_DEPTH_MODE, PARAM_DEPTH, PARAM_COUNT };
enum { STYLE_WORDS, STYLE_NUMBERS, STYLE_LETTERS, STYLE_UUID, STYLE_COUNT };

static const char *const index_styles[STYLE_COUNT] = { "words", "numbers", "letters", "uuid" };

static const seal_param_schema parameters[PARAM_COUNT] = {
    [PARAM_INDEX_STYLE] = {
        .struct_size = sizeof(seal_param_schema),
        .type = SEAL_PARAM_STRING,
        .name = "index_style",
        .description = "How lines are named: adjective-noun words (\"torpid-kid\"), numbers 1..n, letters A..Z, AA.., or UUIDs.",
        .default_value = { .type = SEAL_PARAM_STRING, .string = "words" },
        .allowed_values = index_styles,
        .allowed_value_count = STYLE_COUNT,
    },
    [PARAM_DEPTH_MODE] = SEAL_KIT_DEPTH_MODE_PARAMETER(
        "Which line is asked: a random one, the one at `depth` percent of the record, "
        "or depths spread evenly over the data set (0% for the first sample, 100% for the last)."),
    [PARAM_DEPTH] = SEAL_KIT_DEPTH_PARAMETER(
        "Position of the asked line in percent of the record (0 = first line, 100 = last) for depth_mode \"fixed\"."),
};

static const char header[] =
    "Below is a record of lines I want you to remember. Each line begins with 'line <line index>' and contains a "
    "'<REGISTER_CONTENT>' at the end of the line as a numerical value. For each line index, memorize its "
    "corresponding <REGISTER_CONTENT>. At the end of the record, I will ask you to retrieve the corresponding "
    "<REGISTER_CONTENT> of a certain line index. Now the record start:\n\n";

#define WORD_NAMES (128 * 128)
/** Enough lines for the largest target (4M tokens at >= 8 tokens per line). */
#define MAX_LINES (1 << 19)
/** Training samples come from another stream than evaluation samples of the same seed. */
#define TRAINING_SALT 0x7261696E696E6721ull

/** The random record of one sample, independent of its length: line i is the same for any n. */
typedef struct record {
    int style;
    uint64_t seed;
    uint64_t index;
    double depth;           /* fraction of the record before the asked line */
    uint16_t order[WORD_NAMES];  /* a shuffle of the adjective-noun names (words style) */
} record;

static int choose(const char *value, const char *const *list, int count) {
    for (int i = 0; i < count; i++) {
        if (strcmp(value, list[i]) == 0) return i;
    }
    return -1;
}

static void line_name(const record *r, int64_t line, char out[40]) {
    switch (r->style) {
    case STYLE_WORDS: {
        uint16_t name = r->order[line];
        snprintf(out, 40, "%s-%s", adjectives[name / 128], nouns[name % 128]);
        break;
    }
    case STYLE_NUMBERS:
        snprintf(out, 40, "%lld", (long long)(line + 1));
        break;
    case STYLE_LETTERS: {
        /* Bijective base 26: A..Z, AA..AZ, BA.. */
        char reversed[16];
        int length = 0;
        for (int64_t n = line + 1; n > 0 && length < 15; n = (n - 1) / 26) reversed[length++] = (char)('A' + (n - 1) % 26);
        for (int i = 0; i < length; i++) out[i] = reversed[length - 1 - i];
        out[length] = '\0';
        break;
    }
    default: {
        uint64_t state = seal_kit_stream(r->seed, r->index, 2 * (uint64_t)line + 3);
        seal_kit_uuid(&state, out);
        break;
    }
    }
}

static int64_t line_value(const record *r, int64_t line) {
    uint64_t state = seal_kit_stream(r->seed, r->index, 2 * (uint64_t)line + 2);
    return seal_kit_range(&state, 1, 50000);
}

static void build(const void *state, int64_t lines, seal_kit_text *out) {
    const record *r = state;
    char name[40];
    seal_kit_append(out, header, sizeof header - 1);
    for (int64_t i = 0; i < lines && !out->failed; i++) {
        line_name(r, i, name);
        seal_kit_printf(out, "line %s: REGISTER_CONTENT is <%lld>\n", name, (long long)line_value(r, i));
    }
    line_name(r, seal_kit_unit_at(r->depth, lines), name);
    seal_kit_printf(out, "\nNow the record is over. Tell me what is the <REGISTER_CONTENT> in line %s? I need the number.", name);
}

static seal_status make_sample(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity) {
    seal_status status = seal_kit_check_request(request, param_count, PARAM_COUNT, "lines", error, error_capacity);
    if (status != SEAL_OK) return status;
    int style = choose(params[PARAM_INDEX_STYLE].string, index_styles, STYLE_COUNT);
    int mode = choose(params[PARAM_DEPTH_MODE].string, seal_kit_depth_modes, SEAL_KIT_DEPTH_MODE_COUNT);
    if (style < 0 || mode < 0) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, "lines: unknown index_style or depth_mode");
    }
    record *r = malloc(sizeof *r);
    if (r == NULL) return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, "lines: out of memory");
    r->style = style;
    r->seed = seal_kit_purpose_seed(request, TRAINING_SALT);
    r->index = request->index;
    uint64_t state = seal_kit_stream(r->seed, r->index, 0);
    /* Drawn in every mode: the words shuffle below continues the same stream. */
    double random = seal_kit_uniform(&state);
    r->depth = seal_kit_depth(params[PARAM_DEPTH_MODE].string, params[PARAM_DEPTH].number, request, random);
    if (r->depth > 1.0) r->depth = 1.0;
    if (style == STYLE_WORDS) {
        for (int i = 0; i < WORD_NAMES; i++) r->order[i] = (uint16_t)i;
        for (int i = WORD_NAMES - 1; i > 0; i--) {
            int j = (int)(seal_kit_next(&state) % (uint64_t)(i + 1));
            uint16_t swap = r->order[i];
            r->order[i] = r->order[j];
            r->order[j] = swap;
        }
    }
    int64_t max_lines = style == STYLE_WORDS ? WORD_NAMES : MAX_LINES;
    int64_t lines = 1;
    seal_kit_text prompt = {0};
    status = seal_kit_fit_prompt(host, request->target_tokens, 1, max_lines, build, r, &lines, &prompt,
                                 error, error_capacity);
    if (status != SEAL_OK) {
        free(r);
        return status;
    }
    int64_t asked = seal_kit_unit_at(r->depth, lines);
    char name[40], label[128], prefix[96], answer[24], fields[160];
    line_name(r, asked, name);
    snprintf(answer, sizeof answer, "%lld", (long long)line_value(r, asked));
    snprintf(prefix, sizeof prefix, "The <REGISTER_CONTENT> in line %s is", name);
    snprintf(label, sizeof label, "%s %s.", prefix, answer);
    snprintf(fields, sizeof fields, "{\"depth\":%.4g,\"line\":%lld,\"lines\":%lld,\"index_style\":\"%s\"}",
             lines > 1 ? 100.0 * (double)asked / (double)(lines - 1) : 0.0, (long long)asked + 1, (long long)lines,
             index_styles[style]);
    free(r);
    return seal_kit_emit(out, &prompt, answer, label, prefix, fields, "lines", error, error_capacity);
}

static seal_status score(const seal_host *host, const seal_value *params, uint32_t param_count,
                         const seal_task_sample *sample, const char *output, seal_task_score *out,
                         char *error, size_t error_capacity) {
    (void)host;
    (void)params;
    (void)param_count;
    if (!seal_kit_score_integer(sample->answer, output, out)) {
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT,
                          "lines: the sample's answer is not an integer (digits only)");
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
    .name = "lines",
    .version = "1.0.0",
    .description = "LongEval lines: a record of named lines holding integers; the model is asked for one line's "
                   "<REGISTER_CONTENT>. Score 1 when the last integer of the output is exactly the line's value.",
    .parameters = parameters,
    .parameter_count = PARAM_COUNT,
    .task = &functions,
};

SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void) {
    return &descriptor;
}
