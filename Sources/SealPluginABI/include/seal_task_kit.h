/*
 * seal_task_kit.h: header-only helpers for task plugins (optional; not part of the ABI).
 *
 * What every generator needs and gets subtly wrong when written again: a seeded PRNG, a
 * growable text buffer, the request checks and the `depth_mode`/`depth` parameters the
 * built-in tasks share, sizing a prompt to a token target with the host's counter, and
 * reading the last integer of a model output. Everything is `static inline`, so a plugin
 * that includes this header depends on nothing but libc, and this header may change between
 * seal releases without breaking built plugins.
 *
 * Ownership: a seal_kit_text owns its heap buffer; release it with seal_kit_text_free()
 * before the plugin function returns (the ABI forbids keeping memory across calls).
 */
#ifndef SEAL_TASK_KIT_H
#define SEAL_TASK_KIT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- randomness ---------------------------------------------------------------------- */

/** splitmix64: a tiny, well-mixed, seedable PRNG. Deterministic on every platform. */
static inline uint64_t seal_kit_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/** A state for stream `stream` of sample `index` of data set `seed` (independent streams). */
static inline uint64_t seal_kit_stream(uint64_t seed, uint64_t index, uint64_t stream) {
    uint64_t state = seed ^ (index * 0xD1B54A32D192ED03ull) ^ (stream * 0x8CB92BA72F3D8DD7ull);
    seal_kit_next(&state);
    return state;
}

/** Uniform in [0, 1). */
static inline double seal_kit_uniform(uint64_t *state) {
    return (double)(seal_kit_next(state) >> 11) / 9007199254740992.0;
}

/** Uniform integer in [low, high] (high - low < 2^63; the modulo bias is below 2^-40 for small ranges). */
static inline int64_t seal_kit_range(uint64_t *state, int64_t low, int64_t high) {
    uint64_t span = (uint64_t)(high - low) + 1;
    return low + (int64_t)(seal_kit_next(state) % span);
}

/** Writes a random version-4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") into out[37]. */
static inline void seal_kit_uuid(uint64_t *state, char out[37]) {
    uint64_t high = seal_kit_next(state), low = seal_kit_next(state);
    high = (high & ~0xF000ull) | 0x4000ull;                          /* version 4 */
    low = (low & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;     /* variant 10 */
    snprintf(out, 37, "%08llx-%04llx-%04llx-%04llx-%012llx",
             (unsigned long long)(high >> 32), (unsigned long long)((high >> 16) & 0xFFFF),
             (unsigned long long)(high & 0xFFFF), (unsigned long long)(low >> 48),
             (unsigned long long)(low & 0xFFFFFFFFFFFFull));
}

/* ---- text ---------------------------------------------------------------------------- */

/** A growable UTF-8 buffer; `failed` is set when memory ran out (later appends do nothing). */
typedef struct seal_kit_text {
    char *data;
    size_t length;
    size_t capacity;
    int failed;
} seal_kit_text;

static inline void seal_kit_text_free(seal_kit_text *text) {
    free(text->data);
    text->data = NULL;
    text->length = text->capacity = 0;
}

static inline void seal_kit_append(seal_kit_text *text, const char *bytes, size_t length) {
    if (text->failed) return;
    if (text->length + length + 1 > text->capacity) {
        size_t capacity = text->capacity ? text->capacity : 256;
        while (capacity < text->length + length + 1) capacity *= 2;
        char *grown = (char *)realloc(text->data, capacity);
        if (grown == NULL) {
            text->failed = 1;
            return;
        }
        text->data = grown;
        text->capacity = capacity;
    }
    memcpy(text->data + text->length, bytes, length);
    text->length += length;
    text->data[text->length] = '\0';
}

static inline void seal_kit_puts(seal_kit_text *text, const char *string) {
    seal_kit_append(text, string, strlen(string));
}

/** printf into the buffer (one formatted piece of at most 1023 bytes). */
static inline void seal_kit_printf(seal_kit_text *text, const char *format, ...) {
    char piece[1024];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(piece, sizeof piece, format, arguments);
    va_end(arguments);
    if (length < 0) {
        text->failed = 1;
        return;
    }
    seal_kit_append(text, piece, (size_t)length < sizeof piece ? (size_t)length : sizeof piece - 1);
}

/* ---- requests and depths ------------------------------------------------------------- */

/** The largest target_tokens the built-in tasks accept (the host's own bound, 4M). */
#define SEAL_KIT_MAX_TARGET_TOKENS (4 * 1024 * 1024)

/**
 * Refuses a call with fewer than `needed` parameters or a target outside
 * 1...SEAL_KIT_MAX_TARGET_TOKENS, with a message naming `task`.
 */
static inline seal_status seal_kit_check_request(const seal_task_request *request, uint32_t param_count,
                                                 uint32_t needed, const char *task,
                                                 char *error, size_t error_capacity) {
    char message[128];
    if (param_count < needed) {
        snprintf(message, sizeof message, "%s: missing parameters", task);
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, message);
    }
    if (request->target_tokens <= 0 || request->target_tokens > SEAL_KIT_MAX_TARGET_TOKENS) {
        snprintf(message, sizeof message, "%s: target_tokens must be in 1...%d", task, SEAL_KIT_MAX_TARGET_TOKENS);
        return seal_error(error, error_capacity, SEAL_ERROR_INVALID_ARGUMENT, message);
    }
    return SEAL_OK;
}

/** Whether the host asks for training samples (a 1.0 host, which cannot say, means evaluation). */
static inline int seal_kit_training(const seal_task_request *request) {
    return SEAL_HAS_FIELD(request, seal_task_request, purpose) && request->purpose == SEAL_TASK_PURPOSE_TRAINING;
}

/** The seed of the sample's random stream: training samples XOR `salt`, so they never repeat a test sample. */
static inline uint64_t seal_kit_purpose_seed(const seal_task_request *request, uint64_t salt) {
    return seal_kit_training(request) ? request->seed ^ salt : request->seed;
}

/** The `depth_mode` values: a random depth, a fixed percent, or depths spread over the data set. */
static const char *const seal_kit_depth_modes[3] = { "random", "fixed", "spread" };
#define SEAL_KIT_DEPTH_MODE_COUNT 3

/** The schema of a `depth_mode` string parameter (default "random") described by `text`. */
#define SEAL_KIT_DEPTH_MODE_PARAMETER(text) {                                                        \
    .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_STRING, .name = "depth_mode",        \
    .description = text, .default_value = { .type = SEAL_PARAM_STRING, .string = "random" },          \
    .allowed_values = seal_kit_depth_modes, .allowed_value_count = SEAL_KIT_DEPTH_MODE_COUNT }

/** The schema of a `depth` float parameter in percent (0...100, default 50) described by `text`. */
#define SEAL_KIT_DEPTH_PARAMETER(text) {                                                             \
    .struct_size = sizeof(seal_param_schema), .type = SEAL_PARAM_FLOAT, .name = "depth",              \
    .description = text, .default_value = { .type = SEAL_PARAM_FLOAT, .number = 50.0 },               \
    .flags = SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX, .minimum = 0.0, .maximum = 100.0 }

/**
 * The depth (fraction of the content before the asked item) for `mode`: "fixed" gives
 * `percent` / 100, "spread" gives index / (sample_count - 1) (0.5 for a data set of one or
 * a 1.0 host), anything else `random`, which the caller draws from its own stream.
 */
static inline double seal_kit_depth(const char *mode, double percent, const seal_task_request *request, double random) {
    uint64_t count = SEAL_HAS_FIELD(request, seal_task_request, sample_count) ? request->sample_count : 0;
    if (strcmp(mode, "fixed") == 0) return percent / 100.0;
    if (strcmp(mode, "spread") == 0) return count > 1 ? (double)request->index / (double)(count - 1) : 0.5;
    return random;
}

/** The unit (line, pair) at `depth` of `units`: rounded to the nearest, clamped to 0...units - 1. */
static inline int64_t seal_kit_unit_at(double depth, int64_t units) {
    int64_t k = (int64_t)(depth * (double)(units - 1) + 0.5);
    return k < 0 ? 0 : (k >= units ? units - 1 : k);
}

/* ---- sizing a prompt to a token target ------------------------------------------------ */

/** Builds the whole prompt with `units` units of content (lines, sentences, keys) into `out`. */
typedef void (*seal_kit_build_fn)(const void *state, int64_t units, seal_kit_text *out);

/** Empties `text` for reuse, keeping its buffer (and clearing an earlier failure). */
static inline void seal_kit_text_clear(seal_kit_text *text) {
    text->length = 0;
    text->failed = 0;
    if (text->data != NULL) text->data[0] = '\0';
}

/** Builds `units` units into `text` (emptied first) and counts it: tokens, -1 counter failed, -2 out of memory. */
static inline int64_t seal_kit_build_count(const seal_host *host, seal_kit_build_fn build, const void *state,
                                           int64_t units, seal_kit_text *text) {
    seal_kit_text_clear(text);
    build(state, units, text);
    if (text->failed) return -2;
    int64_t count = host->count_tokens(host->context, text->data ? text->data : "", text->length);
    return count < 0 ? -1 : count;
}

/** Tokens of `units` units, or -1 when the counter fails, -2 when memory runs out. */
static inline int64_t seal_kit_measure(const seal_host *host, seal_kit_build_fn build, const void *state, int64_t units) {
    seal_kit_text text = {0};
    int64_t count = seal_kit_build_count(host, build, state, units, &text);
    seal_kit_text_free(&text);
    return count;
}

/**
 * The search of seal_kit_fit_prompt. Measurements are built in `scratch`; whenever one becomes
 * the best so far it is swapped into `best_text`, which ends holding the prompt of *units.
 */
static inline seal_status seal_kit_fit_search(const seal_host *host, int64_t target, int64_t min_units,
                                              int64_t max_units, seal_kit_build_fn build, const void *state,
                                              int64_t *units, seal_kit_text *best_text, seal_kit_text *scratch,
                                              char *error, size_t error_capacity) {
    int64_t probe = max_units - min_units < 16 ? max_units - min_units : 16;
    int64_t low = seal_kit_build_count(host, build, state, min_units, best_text);
    int64_t high = probe > 0 ? seal_kit_build_count(host, build, state, min_units + probe, scratch) : low;
    if (low == -2 || high == -2) return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, "out of memory");
    if (low < 0 || high < 0) return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK, "the host's token counter failed");
    double per_unit = probe > 0 && high > low ? (double)(high - low) / (double)probe : 1.0;
    int64_t n = min_units + (int64_t)((double)(target - low) / per_unit + 0.5);
    if (n < min_units) n = min_units;
    if (n > max_units) n = max_units;
    int64_t best = min_units, best_miss = low > target ? low - target : target - low, best_count = low;
    for (int attempt = 0; attempt < 8; attempt++) {
        int64_t count = seal_kit_build_count(host, build, state, n, scratch);
        if (count == -2) return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, "out of memory");
        if (count < 0) return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK, "the host's token counter failed");
        int64_t miss = count > target ? count - target : target - count;
        if (miss < best_miss || (miss == best_miss && n < best)) {
            best_miss = miss;
            best = n;
            best_count = count;
            seal_kit_text swap = *best_text;
            *best_text = *scratch;
            *scratch = swap;
        }
        double exact = (double)(target - count) / per_unit;
        int64_t step = (int64_t)(exact >= 0 ? exact + 0.5 : exact - 0.5);
        if (step == 0) break;
        int64_t next = n + step;
        if (next < min_units) next = min_units;
        if (next > max_units) next = max_units;
        if (next == n) break;
        n = next;
    }
    if (best == max_units && best_count < target - target / 50) {
        char message[160];
        snprintf(message, sizeof message, "the task reaches at most about %lld tokens (%lld units); ask for fewer",
                 (long long)best_count, (long long)max_units);
        return seal_error(error, error_capacity, SEAL_ERROR_UNSUPPORTED, message);
    }
    *units = best;
    return SEAL_OK;
}

/**
 * seal_kit_fit that also hands over the prompt of the chosen size in `prompt` (the caller frees
 * it; left empty on error), so the best measured prompt is not built a second time. `prompt`
 * may be NULL.
 */
static inline seal_status seal_kit_fit_prompt(const seal_host *host, int64_t target, int64_t min_units,
                                              int64_t max_units, seal_kit_build_fn build, const void *state,
                                              int64_t *units, seal_kit_text *prompt,
                                              char *error, size_t error_capacity) {
    if (!SEAL_HAS_FIELD(host, seal_host, count_tokens) || host->count_tokens == NULL) {
        return seal_error(error, error_capacity, SEAL_ERROR_CALLBACK,
                          "the host offers no token counter, which sizing the prompt needs");
    }
    seal_kit_text best_text = {0}, scratch = {0};
    seal_status status = seal_kit_fit_search(host, target, min_units, max_units, build, state, units,
                                             &best_text, &scratch, error, error_capacity);
    seal_kit_text_free(&scratch);
    if (status == SEAL_OK && prompt != NULL) {
        *prompt = best_text;
    } else {
        seal_kit_text_free(&best_text);
    }
    return status;
}

/**
 * The number of units in [min_units, max_units] whose prompt comes closest to `target` tokens.
 * Measures two sizes for the tokens per unit, then corrects on real counts (each step a whole
 * number of units) until no whole unit would help; about 4 to 8 counts of the full prompt.
 * Returns SEAL_OK and *units, or an error written to `error`.
 */
static inline seal_status seal_kit_fit(const seal_host *host, int64_t target, int64_t min_units, int64_t max_units,
                                       seal_kit_build_fn build, const void *state, int64_t *units,
                                       char *error, size_t error_capacity) {
    return seal_kit_fit_prompt(host, target, min_units, max_units, build, state, units, NULL, error, error_capacity);
}

/* ---- scoring ------------------------------------------------------------------------- */

/**
 * The last run of ASCII digits in `output` (the prediction of integer-answer tasks), as a
 * pointer into it and a length; *length = 0 when there is none.
 */
static inline const char *seal_kit_last_integer(const char *output, size_t *length) {
    const char *last = NULL;
    *length = 0;
    for (const char *p = output; *p != '\0';) {
        size_t run = strspn(p, "0123456789");
        if (run > 0) {
            last = p;
            *length = run;
            p += run;
        } else {
            p++;
        }
    }
    return last;
}

/** Writes a reason into a score when the host offers the 1.1 buffer (printf-style). */
static inline void seal_kit_reason(seal_task_score *out, const char *format, ...) {
    if (!SEAL_HAS_FIELD(out, seal_task_score, reason_capacity) || out->reason == NULL || out->reason_capacity == 0) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(out->reason, out->reason_capacity, format, arguments);
    va_end(arguments);
}

/**
 * Scores an integer answer: correct when the last integer of `output` equals `answer`
 * (digits only, compared as text, so "007" is not "7"). Sets a reason. Returns 0 without
 * scoring when `answer` is not a run of digits (the caller's sample is broken), else 1.
 */
static inline int seal_kit_score_integer(const char *answer, const char *output, seal_task_score *out) {
    size_t answer_length = strlen(answer);
    if (answer_length == 0 || strspn(answer, "0123456789") != answer_length) return 0;
    size_t length = 0;
    const char *last = seal_kit_last_integer(output, &length);
    int correct = last != NULL && length == answer_length && memcmp(last, answer, length) == 0;
    out->score = correct ? 1.0 : 0.0;
    out->correct = correct;
    if (last == NULL) {
        seal_kit_reason(out, "no integer in the output; expected %s", answer);
    } else if (!correct) {
        seal_kit_reason(out, "predicted %.*s, expected %s", (int)(length < 40 ? length : 40), last, answer);
    }
    return 1;
}

/* ---- sinks --------------------------------------------------------------------------- */

/** Appends to a 1.1 sink of seal_task_sample_out when the host offers it (else does nothing). */
#define SEAL_KIT_PUT_11(out, sink_field, text)                                                        \
    (SEAL_HAS_FIELD((out), seal_task_sample_out, sink_field) && (out)->sink_field.append != NULL     \
         ? seal_sink_puts(&(out)->sink_field, (text))                                                  \
         : SEAL_OK)

/**
 * Writes a finished sample: the prompt (then frees it), answer, label and the 1.1 answer prefix
 * and fields (either may be NULL). Returns SEAL_OK or the error, with a message naming `task`.
 */
static inline seal_status seal_kit_emit(const seal_task_sample_out *out, seal_kit_text *prompt, const char *answer,
                                        const char *label, const char *prefix, const char *fields,
                                        const char *task, char *error, size_t error_capacity) {
    char message[128];
    if (prompt->failed) {
        seal_kit_text_free(prompt);
        snprintf(message, sizeof message, "%s: out of memory", task);
        return seal_error(error, error_capacity, SEAL_ERROR_INTERNAL, message);
    }
    seal_status status = out->prompt.append(out->prompt.context, prompt->data ? prompt->data : "", prompt->length);
    seal_kit_text_free(prompt);
    if (status == SEAL_OK) status = seal_sink_puts(&out->answer, answer);
    if (status == SEAL_OK) status = seal_sink_puts(&out->label, label);
    if (status == SEAL_OK && prefix != NULL) status = SEAL_KIT_PUT_11(out, answer_prefix, prefix);
    if (status == SEAL_OK && fields != NULL) status = SEAL_KIT_PUT_11(out, fields, fields);
    if (status == SEAL_OK) return SEAL_OK;
    snprintf(message, sizeof message, "%s: the host refused the sample text", task);
    return seal_error(error, error_capacity, status, message);
}

#ifdef __cplusplus
}
#endif

#endif /* SEAL_TASK_KIT_H */
