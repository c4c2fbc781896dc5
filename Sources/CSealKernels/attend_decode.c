#include "attend_ops.h"
#include "seal_half.h"
#include "seal_kernels.h"
#include "seal_pool.h"

#include <math.h>
#include <string.h>

/*
 * Fused single-query attention (seal_attend.h): the driver shared by every variant, the
 * portable steps, and the merge of the chunks' partial states.
 */

/* Keys per chunk at least: below this a part costs more to dispatch than to run. */
#define MIN_CHUNK_KEYS 512

/* ---- portable steps ---- */

/* Values: row-major in either storage. */
static void value_as_floats(const seal_decode_attention *a, size_t offset, float *target) {
    if (a->cache == SEAL_CACHE_F16)
        seal_f16_decode_variant(SEAL_KERNELS_PORTABLE, (const uint16_t *)a->values + offset, target, a->head_dim);
    else
        memcpy(target, (const float *)a->values + offset, a->head_dim * sizeof(float));
}

/* Keys [first, first + n) of `head` as row-major fp32: in place, or widened from their blocks
 * (seal_half.h) into `keys` (room for SEAL_ATTEND_BLOCK rows). */
static const float *key_rows_as_floats(const seal_decode_attention *a, size_t head, size_t first, size_t n,
                                       float *keys) {
    if (a->cache != SEAL_CACHE_F16) return (const float *)a->keys + seal_attend_row(a, head, first);
    seal_f16_decode_keys_variant(SEAL_KERNELS_PORTABLE, (const uint16_t *)a->keys + head * a->head_stride, first, n,
                                 a->head_dim, keys);
    return keys;
}

static void scores_portable(const seal_decode_attention *a, size_t head, size_t first, size_t count, float *scores,
                            float *row_max, float *keys) {
    size_t hd = a->head_dim;
    const float *q0 = a->queries + head * a->group * hd;
    for (size_t g = 0; g < a->group; g++) row_max[g] = -INFINITY;
    for (size_t b = 0; b < count; b += SEAL_ATTEND_BLOCK) {
        size_t n = count - b < SEAL_ATTEND_BLOCK ? count - b : SEAL_ATTEND_BLOCK;
        const float *rows = key_rows_as_floats(a, head, first + b, n, keys);
        for (size_t k = 0; k < n; k++) {
            const float *key = rows + k * hd;
            for (size_t g = 0; g < a->group; g++) {
                const float *q = q0 + g * hd;
                float partial[8] = {0};
                size_t i = 0;
                for (; i + 8 <= hd; i += 8)
                    for (size_t l = 0; l < 8; l++) partial[l] += q[i + l] * key[i + l];
                float total = 0;
                for (size_t l = 0; l < 8; l++) total += partial[l];
                for (; i < hd; i++) total += q[i] * key[i];
                float score = total * a->scale;
                scores[g * SEAL_ATTEND_TILE + b + k] = score;
                if (score > row_max[g]) row_max[g] = score;
            }
        }
    }
}

static float exp_sum_portable(float *scores, size_t count, float shift) {
    float sum = 0;
    for (size_t j = 0; j < count; j++) {
        scores[j] = expf(scores[j] - shift);
        sum += scores[j];
    }
    return sum;
}

static void values_portable(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                            const float *weights, const float *correction, float *state) {
    size_t hd = a->head_dim;
    float row[SEAL_ATTEND_MAX_HEAD_DIM];
    for (size_t g = 0; g < a->group; g++) {
        float *acc = state + g * (hd + SEAL_ATTEND_STATE) + SEAL_ATTEND_STATE;
        for (size_t i = 0; i < hd; i++) acc[i] *= correction[g];
    }
    for (size_t j = 0; j < count; j++) {
        value_as_floats(a, seal_attend_row(a, head, first + j), row);
        for (size_t g = 0; g < a->group; g++) {
            float *acc = state + g * (hd + SEAL_ATTEND_STATE) + SEAL_ATTEND_STATE;
            float p = weights[g * SEAL_ATTEND_TILE + j];
            for (size_t i = 0; i < hd; i++) acc[i] += p * row[i];
        }
    }
}

static const seal_attend_ops portable_ops = {scores_portable, exp_sum_portable, values_portable};

/* ---- the driver ---- */

typedef struct {
    const seal_decode_attention *a;
    const seal_attend_ops *ops;
    size_t chunk_keys, chunks; /* per KV head */
} job_t;

/* Keys [first, last) of `head` into `state` (group rows of [max, sum, acc]). */
static void attend_range(const seal_decode_attention *a, const seal_attend_ops *ops, size_t head, size_t first,
                         size_t last, float *state) {
    size_t hd = a->head_dim, stride = hd + SEAL_ATTEND_STATE;
    /* One tile of scores per row (group <= SEAL_ATTEND_MAX_GROUP, checked by the entry points). */
    float scores[SEAL_ATTEND_TILE * SEAL_ATTEND_MAX_GROUP], row_max[SEAL_ATTEND_MAX_GROUP],
        correction[SEAL_ATTEND_MAX_GROUP];
    float keys[SEAL_ATTEND_BLOCK * SEAL_ATTEND_MAX_HEAD_DIM];
    for (size_t g = 0; g < a->group; g++) {
        float *s = state + g * stride;
        s[0] = -INFINITY;
        s[1] = 0;
        memset(s + SEAL_ATTEND_STATE, 0, hd * sizeof(float));
    }
    for (size_t t = first; t < last; t += SEAL_ATTEND_TILE) {
        size_t count = last - t < SEAL_ATTEND_TILE ? last - t : SEAL_ATTEND_TILE;
        ops->scores(a, head, t, count, scores, row_max, keys);
        for (size_t g = 0; g < a->group; g++) {
            float *s = state + g * stride;
            float maximum = row_max[g] > s[0] ? row_max[g] : s[0];
            correction[g] = s[0] == -INFINITY ? 0 : expf(s[0] - maximum);
            s[1] = s[1] * correction[g] + ops->exp_sum(scores + g * SEAL_ATTEND_TILE, count, maximum);
            s[0] = maximum;
        }
        ops->values(a, head, t, count, scores, correction, state);
    }
}

static float *part_state(const job_t *job, size_t head, size_t chunk) {
    const seal_decode_attention *a = job->a;
    return a->scratch + (head * SEAL_ATTEND_MAX_CHUNKS + chunk) * a->group * (a->head_dim + SEAL_ATTEND_STATE);
}

static void attend_part(void *context, int part, int parts) {
    const job_t *job = context;
    (void)parts;
    size_t head = (size_t)part / job->chunks, chunk = (size_t)part % job->chunks;
    size_t first = chunk * job->chunk_keys;
    size_t last = first + job->chunk_keys < job->a->length ? first + job->chunk_keys : job->a->length;
    attend_range(job->a, job->ops, head, first, last, part_state(job, head, chunk));
}

/* output = sum_c e^(m_c - M) acc_c / sum_c e^(m_c - M) s_c over the chunks of each row. */
static void merge(const job_t *job) {
    const seal_decode_attention *a = job->a;
    size_t hd = a->head_dim, stride = hd + SEAL_ATTEND_STATE;
    for (size_t head = 0; head < a->kv_heads; head++) {
        for (size_t g = 0; g < a->group; g++) {
            float *out = a->output + (head * a->group + g) * hd;
            float maximum = -INFINITY, denominator = 0;
            for (size_t c = 0; c < job->chunks; c++) {
                float m = part_state(job, head, c)[g * stride];
                if (m > maximum) maximum = m;
            }
            memset(out, 0, hd * sizeof(float));
            for (size_t c = 0; c < job->chunks; c++) {
                const float *s = part_state(job, head, c) + g * stride;
                float weight = s[0] == -INFINITY ? 0 : expf(s[0] - maximum);
                denominator += weight * s[1];
                for (size_t i = 0; i < hd; i++) out[i] += weight * s[SEAL_ATTEND_STATE + i];
            }
            float inverse = 1 / denominator;
            for (size_t i = 0; i < hd; i++) out[i] *= inverse;
            if (a->log_sum_exp) a->log_sum_exp[head * a->group + g] = maximum + logf(denominator);
        }
    }
}

size_t seal_attend_decode_scratch(size_t kv_heads, size_t group, size_t head_dim) {
    return kv_heads * SEAL_ATTEND_MAX_CHUNKS * group * (head_dim + SEAL_ATTEND_STATE);
}

static const seal_attend_ops *ops_for(int variant, size_t head_dim) {
    if (head_dim % 16 != 0 || head_dim > SEAL_ATTEND_MAX_HEAD_DIM || !seal_kernels_supported(variant))
        return &portable_ops;
    const seal_attend_ops *ops = NULL;
    if (variant == SEAL_KERNELS_AVX512) ops = seal_attend_ops_avx512();
    if (variant == SEAL_KERNELS_AVX2) ops = seal_attend_ops_avx2();
    return ops ? ops : &portable_ops;
}

int seal_attend_decode_best(size_t head_dim) {
    for (int variant = SEAL_KERNELS_AVX512; variant > SEAL_KERNELS_PORTABLE; variant--)
        if (ops_for(variant, head_dim) != &portable_ops) return variant;
    return SEAL_KERNELS_PORTABLE;
}

int seal_attend_decode_variant(int variant, const seal_decode_attention *a, int threads) {
    if (a->group > SEAL_ATTEND_MAX_GROUP || a->head_dim > SEAL_ATTEND_MAX_HEAD_DIM) return -1;
    if (a->length == 0 || a->group == 0 || a->head_dim == 0 || a->kv_heads == 0) {
        memset(a->output, 0, a->kv_heads * a->group * a->head_dim * sizeof(float));
        if (a->log_sum_exp)
            for (size_t k = 0; k < a->kv_heads * a->group; k++) a->log_sum_exp[k] = -INFINITY;
        return 0;
    }
    /* Chunks of at least MIN_CHUNK_KEYS, whole tiles, at most SEAL_ATTEND_MAX_CHUNKS per head. */
    size_t chunk = (a->length + SEAL_ATTEND_MAX_CHUNKS - 1) / SEAL_ATTEND_MAX_CHUNKS;
    if (chunk < MIN_CHUNK_KEYS) chunk = MIN_CHUNK_KEYS;
    chunk = (chunk + SEAL_ATTEND_TILE - 1) / SEAL_ATTEND_TILE * SEAL_ATTEND_TILE;
    job_t job = {a, ops_for(variant, a->head_dim), chunk, (a->length + chunk - 1) / chunk};
    seal_pool_run(attend_part, &job, (int)(a->kv_heads * job.chunks), threads);
    merge(&job);
    return 0;
}

int seal_attend_decode(const seal_decode_attention *a, int threads) {
    static int chosen = -1;
    int variant = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (variant < 0) {
        variant = seal_attend_decode_best(16);
        __atomic_store_n(&chosen, variant, __ATOMIC_RELAXED);
    }
    return seal_attend_decode_variant(variant, a, threads);
}

float seal_exp_shifted_sum_variant(int variant, float *x, size_t count, float shift) {
    return ops_for(variant, 16)->exp_sum(x, count, shift);
}

float seal_exp_shifted_sum(float *x, size_t count, float shift) {
    static int chosen = -1;
    int variant = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (variant < 0) {
        variant = seal_attend_decode_best(16);
        __atomic_store_n(&chosen, variant, __ATOMIC_RELAXED);
    }
    return seal_exp_shifted_sum_variant(variant, x, count, shift);
}
