/*
 * seal_plugin.h: the seal plugin ABI, version 1.0.
 *
 * A seal plugin is a shared object (`lib<anything>.so`) that exports ONE symbol,
 * `seal_plugin_entry`, returning a pointer to a static descriptor. The descriptor
 * says what the plugin is (name, version, kind, parameters) and points to a table
 * of functions for its kind. Plugins DESCRIBE and the host COMPUTES: no plugin
 * function is ever called per element or per token in a hot loop; each is called
 * once per sample, per session or per training run.
 *
 * Three kinds:
 *   - task                 generates samples (prompt, answer, training label) and scores outputs;
 *   - context extension    turns the model's RoPE settings and a requested length into a
 *                          position-encoding plan (inverse frequencies, attention factor, bands);
 *   - scaling strategy     maps every (layer, head, channel) of the attention output to a
 *                          learned parameter (SEAL-H, SEAL-C, ...), as one array fill.
 *
 * ---------------------------------------------------------------------------------------
 * Versioning
 *   SEAL_PLUGIN_ABI_MAJOR changes only when an existing field or function changes meaning;
 *   the host refuses a plugin with a different major version. Minor versions only APPEND
 *   fields at the end of structs that carry `struct_size`, and append functions at the end of
 *   function tables. Every such struct starts with `uint32_t struct_size` = sizeof as the
 *   writer compiled it:
 *     - a reader that knows more fields than the writer treats the missing ones as absent
 *       (use SEAL_HAS_FIELD before reading a field added after 1.0);
 *     - a reader that knows fewer fields ignores the extra bytes.
 *   Structs marked FROZEN never grow within a major version (they appear in arrays).
 *
 * Strings
 *   All strings are UTF-8 and NUL-terminated unless a length is passed next to them.
 *   Strings in the descriptor and parameter schema are owned by the plugin and must live as
 *   long as the library stays loaded (string literals are ideal). The host never unloads a
 *   plugin (it never calls dlclose), so static data stays valid for the life of the process.
 *   Strings the host passes in (parameter values, sample texts, model output) are owned by
 *   the host and valid only during the call that receives them: copy what you keep.
 *   Strings returned by host callbacks are owned by the host and valid until the plugin
 *   function that received the callback returns.
 *
 * Memory
 *   Output arrays are allocated by the host (sizes are stated with each function) and filled
 *   by the plugin. Variable-length text leaves the plugin through a host-provided seal_sink.
 *   A plugin may malloc scratch memory inside a call but must free it before returning; it
 *   never frees host memory and the host never frees plugin memory.
 *
 * Errors
 *   Every function returns a seal_status (SEAL_OK == 0). On failure it should write a short,
 *   actionable, NUL-terminated message into the host-provided `error` buffer of
 *   `error_capacity` bytes (truncating as needed; seal_error() does this).
 *
 * Threads
 *   Functions may be called concurrently from several threads, with different arguments.
 *   Keep no mutable global state (or protect it yourself). A function must not longjmp,
 *   throw C++ exceptions or call exit(); it must return.
 * ---------------------------------------------------------------------------------------
 */
#ifndef SEAL_PLUGIN_H
#define SEAL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEAL_PLUGIN_ABI_MAJOR 1
#define SEAL_PLUGIN_ABI_MINOR 0

/** The one symbol every plugin exports. */
#define SEAL_PLUGIN_ENTRY_SYMBOL "seal_plugin_entry"

/** Marks the entry point as exported even when building with -fvisibility=hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define SEAL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define SEAL_PLUGIN_EXPORT
#endif

/** Whether a struct written with `struct_size` includes `field` (for fields added after 1.0). */
#define SEAL_HAS_FIELD(pointer, type, field) \
    ((pointer) != NULL && (pointer)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* ---- status codes ------------------------------------------------------------------- */

typedef int32_t seal_status;
#define SEAL_OK 0
/** A parameter value or request field the plugin cannot work with. */
#define SEAL_ERROR_INVALID_ARGUMENT 1
/** A host callback failed or is missing but needed. */
#define SEAL_ERROR_CALLBACK 2
/** The request is valid but this plugin does not support it (e.g. a model shape). */
#define SEAL_ERROR_UNSUPPORTED 3
/** Anything else (out of memory, internal inconsistency). */
#define SEAL_ERROR_INTERNAL 4

/* ---- kinds and parameter types ------------------------------------------------------ */

typedef int32_t seal_plugin_kind;
#define SEAL_KIND_TASK 1
#define SEAL_KIND_CONTEXT_EXTENSION 2
#define SEAL_KIND_SCALING_STRATEGY 3

typedef int32_t seal_param_type;
#define SEAL_PARAM_INT 1
#define SEAL_PARAM_FLOAT 2
#define SEAL_PARAM_STRING 3
#define SEAL_PARAM_BOOL 4

/** seal_param_schema.flags: which bounds apply (int and float parameters only). */
#define SEAL_PARAM_HAS_MIN 1u
#define SEAL_PARAM_HAS_MAX 2u

/**
 * A parameter value. FROZEN. Only the member matching `type` is meaningful.
 * `string` is UTF-8, NUL-terminated, never NULL when type is SEAL_PARAM_STRING.
 */
typedef struct seal_value {
    seal_param_type type;
    int32_t boolean;      /* 0 or 1 */
    int64_t integer;
    double number;
    const char *string;
} seal_value;

/**
 * One entry of a plugin's parameter schema (plugin-owned, static).
 * Entries of one array all have the same struct_size; the host walks the array with
 * stride parameters[0].struct_size.
 */
typedef struct seal_param_schema {
    uint32_t struct_size;
    seal_param_type type;
    /** [a-z][a-z0-9_]*, at most 63 bytes, unique within the plugin. */
    const char *name;
    const char *description;
    /** Same type as `type`; must satisfy the bounds. */
    seal_value default_value;
    uint32_t flags;       /* SEAL_PARAM_HAS_MIN | SEAL_PARAM_HAS_MAX */
    double minimum;       /* inclusive */
    double maximum;       /* inclusive */
} seal_param_schema;

/**
 * Text leaving the plugin: call `append` any number of times; the host concatenates.
 * FROZEN. Returns SEAL_OK or an error (e.g. output too large) that the plugin should pass on.
 */
typedef struct seal_sink {
    void *context;
    seal_status (*append)(void *context, const char *utf8, size_t length);
} seal_sink;

/**
 * What the host offers every plugin call. Host-owned; valid during the call.
 * Callbacks receive `context` as their first argument.
 */
typedef struct seal_host {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    void *context;
    /**
     * Tokens the loaded model's tokenizer makes of `length` bytes of UTF-8 `text`
     * (no special tokens added). Returns -1 on failure. May be NULL for kinds other than task.
     */
    int64_t (*count_tokens)(void *context, const char *text, size_t length);
    /**
     * Optional (may be NULL): greedy text generation by the loaded model from a plain
     * prompt (the host applies the chat template), at most `max_tokens` new tokens.
     * Returns host-owned UTF-8 valid until the plugin function returns, or NULL on failure.
     */
    const char *(*generate_text)(void *context, const char *prompt, int32_t max_tokens);
} seal_host;

/* ---- task ---------------------------------------------------------------------------- */

typedef struct seal_task_request {
    uint32_t struct_size;
    uint64_t index;          /* sample number within the data set */
    uint64_t seed;           /* data set seed; (seed, index) must determine the sample */
    int64_t target_tokens;   /* wanted prompt length as counted by host->count_tokens */
} seal_task_request;

/** Where a sample goes. The prompt is the user message (the host applies the chat template). */
typedef struct seal_task_sample_out {
    uint32_t struct_size;
    seal_sink prompt;
    seal_sink answer;        /* the expected answer, e.g. "68237" */
    seal_sink label;         /* the full training completion, e.g. "The pass key is 68237." */
} seal_task_sample_out;

/** A sample being scored (host-owned strings). */
typedef struct seal_task_sample {
    uint32_t struct_size;
    const char *prompt;
    const char *answer;
    const char *label;
} seal_task_sample;

typedef struct seal_task_score {
    uint32_t struct_size;
    double score;            /* in [0, 1] */
    int32_t correct;         /* 0 or 1 */
} seal_task_score;

typedef struct seal_task_functions {
    uint32_t struct_size;
    seal_status (*make_sample)(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_task_request *request, const seal_task_sample_out *out,
                               char *error, size_t error_capacity);
    /** `out` is host-initialised to score 0, correct 0. */
    seal_status (*score)(const seal_host *host, const seal_value *params, uint32_t param_count,
                         const seal_task_sample *sample, const char *output, seal_task_score *out,
                         char *error, size_t error_capacity);
} seal_task_functions;

/* ---- context extension --------------------------------------------------------------- */

typedef struct seal_rope_request {
    uint32_t struct_size;
    double theta;                 /* rope base */
    int32_t rotary_dims;          /* rotated channels per head (even) */
    int32_t head_dim;
    int64_t trained_context;      /* the context length the model was trained with */
    int64_t sequence_length;      /* the length the caller wants to reach */
} seal_rope_request;

/**
 * A range of query-key distances i - j and the positions RoPE uses within it:
 * query position i / query_divisor + query_offset, key position j / key_divisor + key_offset
 * (floor division). FROZEN. Bands must cover 0, 1, 2, ... in order without gaps; only the
 * last may be unbounded (max_distance = -1).
 */
typedef struct seal_position_band {
    int64_t min_distance;
    int64_t max_distance;
    int64_t query_divisor;
    int64_t query_offset;
    int64_t key_divisor;
    int64_t key_offset;
} seal_position_band;

/**
 * The plan, allocated and PRE-FILLED by the host with plain RoPE: base inverse frequencies
 * theta^(-2i/rotary_dims), attention factor 1, no bands (= one identity band for every
 * distance), effective context = trained context. The plugin overwrites what it changes.
 */
typedef struct seal_position_plan {
    uint32_t struct_size;
    double *inverse_frequencies;  /* frequency_count = rotary_dims / 2 entries */
    uint32_t frequency_count;
    uint32_t band_capacity;       /* entries available in `bands` (at least 8) */
    seal_position_band *bands;
    uint32_t band_count;          /* set by the plugin; 0 = one identity band */
    double attention_factor;      /* multiplies cos and sin (logits by its square) */
    int64_t effective_context;    /* positions this plan lets the model address */
    char *label;                  /* optional short text for logs, e.g. "linear x4" */
    size_t label_capacity;
} seal_position_plan;

typedef struct seal_context_extension_functions {
    uint32_t struct_size;
    seal_status (*plan)(const seal_host *host, const seal_value *params, uint32_t param_count,
                        const seal_rope_request *request, seal_position_plan *plan,
                        char *error, size_t error_capacity);
} seal_context_extension_functions;

/* ---- scaling strategy ---------------------------------------------------------------- */

typedef struct seal_model_shape {
    uint32_t struct_size;
    int32_t layers;
    int32_t heads;                /* query heads */
    int32_t kv_heads;
    int32_t head_dim;
} seal_model_shape;

typedef int32_t seal_regularisation_kind;
#define SEAL_REGULARISATION_NONE 0
/** weight * sum((p - target)^2) added to the loss. */
#define SEAL_REGULARISATION_L2 1
/** weight * sum(|p - target|) added to the loss. */
#define SEAL_REGULARISATION_L1 2

/** Host-initialised to NONE, target 1, weight 0. */
typedef struct seal_regularisation {
    uint32_t struct_size;
    seal_regularisation_kind kind;
    double target;
    double weight;
} seal_regularisation;

/**
 * The layout, allocated by the host after parameter_count():
 *   initial_values[parameter_count], map[layers * heads * head_dim].
 * map[(l * heads + h) * head_dim + c] = index of the parameter multiplying channel c of
 * query head h in layer l, or -1 for a fixed 1.0. The host pre-fills map with -1 and
 * initial_values with 1.0.
 */
typedef struct seal_scaling_layout {
    uint32_t struct_size;
    float *initial_values;
    int64_t parameter_count;
    int32_t *map;
    int64_t map_count;
    seal_regularisation *regularisation;
} seal_scaling_layout;

typedef struct seal_scaling_functions {
    uint32_t struct_size;
    seal_status (*parameter_count)(const seal_host *host, const seal_value *params, uint32_t param_count,
                                   const seal_model_shape *shape, int64_t *count,
                                   char *error, size_t error_capacity);
    seal_status (*fill_layout)(const seal_host *host, const seal_value *params, uint32_t param_count,
                               const seal_model_shape *shape, seal_scaling_layout *layout,
                               char *error, size_t error_capacity);
} seal_scaling_functions;

/* ---- the descriptor ------------------------------------------------------------------ */

/**
 * What `seal_plugin_entry` returns: static, plugin-owned, immutable.
 * Exactly the function table matching `kind` must be non-NULL.
 * `params` values passed to every function are ALL the schema's parameters, in schema
 * order, already validated by the host against type and bounds, defaults filled in.
 */
typedef struct seal_plugin_descriptor {
    uint32_t struct_size;
    uint32_t abi_major;           /* SEAL_PLUGIN_ABI_MAJOR */
    uint32_t abi_minor;           /* SEAL_PLUGIN_ABI_MINOR */
    seal_plugin_kind kind;
    /** [a-z][a-z0-9._-]*, at most 63 bytes; unique among loaded plugins. */
    const char *name;
    /** Free-form, non-empty, e.g. "1.0.0". */
    const char *version;
    const char *description;
    const seal_param_schema *parameters;
    uint32_t parameter_count;
    const seal_task_functions *task;
    const seal_context_extension_functions *context_extension;
    const seal_scaling_functions *scaling;
} seal_plugin_descriptor;

/** The entry point. Must return the same pointer every time; NULL means "refuse to load". */
typedef const seal_plugin_descriptor *(*seal_plugin_entry_fn)(void);
SEAL_PLUGIN_EXPORT const seal_plugin_descriptor *seal_plugin_entry(void);

/* ---- helpers for plugin authors (header-only) ---------------------------------------- */

/** Writes a NUL-terminated message into the host's error buffer, truncating; returns status. */
static inline seal_status seal_error(char *error, size_t capacity, seal_status status, const char *message) {
    if (error != NULL && capacity > 0 && message != NULL) {
        size_t i = 0;
        for (; i + 1 < capacity && message[i] != '\0'; i++) error[i] = message[i];
        error[i] = '\0';
    }
    return status;
}

/** Appends a NUL-terminated string to a sink. */
static inline seal_status seal_sink_puts(const seal_sink *sink, const char *text) {
    size_t length = 0;
    while (text[length] != '\0') length++;
    return sink->append(sink->context, text, length);
}

#ifdef __cplusplus
}
#endif

#endif /* SEAL_PLUGIN_H */
