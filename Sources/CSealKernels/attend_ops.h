#ifndef SEAL_ATTEND_OPS_H
#define SEAL_ATTEND_OPS_H

#include "seal_attend.h"

/*
 * The instruction-set-specific steps of the fused decode attention (attend_decode.c drives
 * them). Keys are visited in tiles of SEAL_ATTEND_TILE; per tile, for every query row g of
 * a KV head's group:
 *   scores: s[g * TILE + j] = scale * q_g . k_(first + j) for j < count, and the row's maximum;
 *   exp_sum: s[j] = exp(s[j] - shift) for j < count, returning their sum;
 *   values: state_g.acc = state_g.acc * correction[g] + sum_j s[g * TILE + j] * v_(first + j).
 * A row's state is [maximum, denominator, acc[head_dim]] (SEAL_ATTEND_STATE floats before acc).
 * `keys` is scratch for SEAL_ATTEND_BLOCK widened key rows, for steps that widen f16 keys
 * before scoring them (the vector steps score both layouts where they rest).
 */

#define SEAL_ATTEND_TILE 64
#define SEAL_ATTEND_BLOCK 16
#define SEAL_ATTEND_STATE 2

typedef struct {
    void (*scores)(const seal_decode_attention *a, size_t head, size_t first, size_t count, float *scores,
                   float *row_max, float *keys);
    float (*exp_sum)(float *scores, size_t count, float shift);
    void (*values)(const seal_decode_attention *a, size_t head, size_t first, size_t count, const float *weights,
                   const float *correction, float *state);
} seal_attend_ops;

/* NULL where this build cannot compile the variant. */
const seal_attend_ops *seal_attend_ops_avx2(void);
const seal_attend_ops *seal_attend_ops_avx512(void);

/* exp(x) = 2^n * exp(r), n = round(x log2 e), r = x - n ln 2 (ln 2 split in two for precision), exp(r)
 * a degree-6 polynomial on [-ln2/2, ln2/2] (Cephes' expf coefficients, about 2 ulp). Expands, for
 * one vector type's intrinsics, to the statements that leave n and exp(r) in `n` and `p`. */
/* Inputs below this give exp = 0 (exp(-87.33) is FLT_MIN). */
#define SEAL_EXP_LOWEST -87.33f

#define SEAL_EXP_REDUCED(x, n, p, round_, mul, fmadd, fnmadd, add, set1)                               \
    n = round_(mul(x, set1(1.44269504088896341f)));                                                    \
    __typeof__(x) r_ = fnmadd(n, set1(0.693359375f), x);                                               \
    r_ = fnmadd(n, set1(-2.12194440e-4f), r_);                                                         \
    p = set1(1.9875691500e-4f);                                                                        \
    p = fmadd(p, r_, set1(1.3981999507e-3f));                                                          \
    p = fmadd(p, r_, set1(8.3334519073e-3f));                                                          \
    p = fmadd(p, r_, set1(4.1665795894e-2f));                                                          \
    p = fmadd(p, r_, set1(1.6666665459e-1f));                                                          \
    p = fmadd(p, r_, set1(5.0000001201e-1f));                                                          \
    p = fmadd(p, mul(r_, r_), add(r_, set1(1.0f)));

/* Element offset of key or value row `row` of `head`. */
static inline size_t seal_attend_row(const seal_decode_attention *a, size_t head, size_t row) {
    return head * a->head_stride + row * a->head_dim;
}

/* Asks for key rows [first, first + count) of `head` (those below `length`) to be brought
 * into L2. The scores step calls it one block ahead: it reads a block's rows side by side, a
 * pattern the hardware prefetcher does not follow, and without it an fp32 cache streamed at
 * 22 GB/s on two cores against 28-29 GB/s with it (8,160 keys, 30 layers). A head's rows are
 * contiguous, so the rows are one range. */
static inline void seal_attend_prefetch_keys(const seal_decode_attention *a, size_t head, size_t first, size_t count) {
    if (first >= a->length) return;
    size_t end = a->length - first < count ? a->length : first + count;
    size_t size = a->cache == SEAL_CACHE_F16 ? 2 : 4;
    const char *row = (const char *)a->keys + seal_attend_row(a, head, first) * size;
    size_t bytes = (end - first) * a->head_dim * size;
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(row + offset, 0, 2);
}

#endif
