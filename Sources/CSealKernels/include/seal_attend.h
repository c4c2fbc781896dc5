#ifndef SEAL_ATTEND_H
#define SEAL_ATTEND_H

#include <stddef.h>
#include <stdint.h>

/*
 * Attention of ONE query token over the KV cache (the decode step), fused: one pass over each
 * KV head's cached keys computes the scores straight from the stored f32 or f16 keys, keeps an
 * online softmax (running maximum and denominator) and adds the weighted values in the same
 * pass, one tile of keys at a time, so the cache is read once and at memory speed. The query
 * heads that share a KV head (GQA) share its reads.
 *
 * Work is split into parts (KV head x chunk of keys), run on the decode pool (seal_pool.h); the
 * chunks' partial states are merged at the end. How the keys are chunked depends only on
 * `length`, never on `threads`, so the result does not depend on the thread count.
 *
 * Variants are those of seal_kernels.h (AVX2 here also needs F16C). Shapes: `head_dim` at most
 * SEAL_ATTEND_MAX_HEAD_DIM, `group` at most SEAL_ATTEND_MAX_GROUP (others are refused); the
 * vector variants need `head_dim` to be a multiple of 16, other head dimensions run the
 * portable code.
 */

#define SEAL_ATTEND_MAX_HEAD_DIM 256
#define SEAL_ATTEND_MAX_GROUP 64
/* Chunks of keys per KV head at most (the scratch holds one partial state per chunk). */
#define SEAL_ATTEND_MAX_CHUNKS 16

enum { SEAL_CACHE_F32 = 0, SEAL_CACHE_F16 = 1 };

typedef struct {
    const float *queries; /* [kv_heads][group][head_dim], rotated, not scaled */
    const void *keys;     /* f32: key j of head h at h * head_stride + j * head_dim (row-major);
                             f16 (IEEE halves): head h's keys at h * head_stride in blocks of 16
                             positions, dimension-major (seal_half.h), whole blocks */
    const void *values;   /* float or uint16_t, row-major in both: value j of head h at
                             h * head_stride + j * head_dim */
    int cache;            /* SEAL_CACHE_F32 or SEAL_CACHE_F16 */
    size_t head_stride;   /* elements between two KV heads' first rows (>= length * head_dim; for
                             f16, >= length rounded up to 16, times head_dim) */
    size_t kv_heads;
    size_t group;         /* query heads per KV head */
    size_t head_dim;
    size_t length;        /* keys attended: positions [0, length) */
    float scale;          /* multiplies every score before the softmax */
    float *output;        /* [kv_heads][group][head_dim]: softmax(scale q.K^T) V per query head */
    float *scratch;       /* seal_attend_decode_scratch(kv_heads, group, head_dim) floats */
    float *log_sum_exp;   /* optional [kv_heads][group]: log sum_j exp(scale q.k_j), so that calls over
                             disjoint sets of keys (Self-Extend's bands, each with its own query
                             rotation) merge into one softmax; NULL for none; -inf for length 0 */
} seal_decode_attention;

/* Floats of scratch seal_attend_decode needs for these dimensions. */
size_t seal_attend_decode_scratch(size_t kv_heads, size_t group, size_t head_dim);

/* Computes `output` on the calling thread and up to `threads - 1` pool workers and returns 0;
 * length 0 writes zeros. Returns -1 (writing nothing) for a shape beyond the limits above. */
int seal_attend_decode(const seal_decode_attention *attention, int threads);

/* The same with an explicit variant, for tests; an unsupported one runs the portable code. */
int seal_attend_decode_variant(int variant, const seal_decode_attention *attention, int threads);

/* x[i] = exp(x[i] - shift) for i < count, returning their sum (the softmax step of attention,
 * shared with prefill): the kernel's vector exp (about 2 ulp; exactly 0 below -87.3, so exp(-inf)
 * is 0; NaN stays NaN). */
float seal_exp_shifted_sum(float *x, size_t count, float shift);
float seal_exp_shifted_sum_variant(int variant, float *x, size_t count, float shift);

/* The variant seal_attend_decode runs for this head dimension on this CPU. */
int seal_attend_decode_best(size_t head_dim);

#endif
