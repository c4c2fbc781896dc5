#include "attend_ops.h"
#include "seal_half.h"

#include <math.h>

/*
 * AVX-512 steps of the fused decode attention (attend_ops.h). Scores: sixteen keys at a time.
 * f32 keys (row-major) take one 16-lane accumulator per key over the head dimension, then the
 * sixteen accumulators are reduced at once into one vector of sixteen scores (45 shuffles and
 * adds instead of sixteen horizontal sums). f16 keys (blocked, seal_half.h) need no reduction:
 * lane k of each product is key k. Values are widened as they are read. exp is a degree-6 polynomial on [-ln2/2, ln2/2]
 * scaled by 2^n with vscalefps (relative error about 2 ulp), 0 below -87.3.
 */

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f")))
#define INLINE __attribute__((target("avx512f"), always_inline)) static inline

static const float zero_row[SEAL_ATTEND_MAX_HEAD_DIM];

/* Lane k of the result is the sum of the lanes of s[k]. */
INLINE __m512 reduce16(__m512 *s) {
    __m512 u[8], v[4], w[2];
    for (int i = 0; i < 8; i++)  /* per 128-bit block: [a0+a2, b0+b2, a1+a3, b1+b3] */
        u[i] = _mm512_add_ps(_mm512_unpacklo_ps(s[2 * i], s[2 * i + 1]), _mm512_unpackhi_ps(s[2 * i], s[2 * i + 1]));
    for (int i = 0; i < 4; i++) { /* per block: [s0, s1, s2, s3] partial over that block */
        __m512d a = _mm512_castps_pd(u[2 * i]), b = _mm512_castps_pd(u[2 * i + 1]);
        v[i] = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(a, b)), _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)));
    }
    for (int i = 0; i < 2; i++) /* blocks: [s0-3 of blocks 0+1, of 2+3, s4-7 of 0+1, of 2+3] */
        w[i] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0x88),
                             _mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0xDD));
    return _mm512_add_ps(_mm512_shuffle_f32x4(w[0], w[1], 0x88), _mm512_shuffle_f32x4(w[0], w[1], 0xDD));
}

/* Row pointers of f32 keys first..first+n-1, zero rows after. */
INLINE void key_rows(const seal_decode_attention *a, size_t head, size_t first, size_t n, const float **rows) {
    for (size_t k = 0; k < SEAL_ATTEND_BLOCK; k++)
        rows[k] = k < n ? (const float *)a->keys + seal_attend_row(a, head, first + k) : zero_row;
}

/* f32 keys rest row-major: sixteen accumulators, one per key, reduced at once. */
TARGET static void scores_rows(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                               float *scores, float *row_max) {
    size_t hd = a->head_dim;
    const float *q0 = a->queries + head * a->group * hd;
    const __m512 scale = _mm512_set1_ps(a->scale);
    for (size_t b = 0; b < count; b += SEAL_ATTEND_BLOCK) {
        size_t n = count - b < SEAL_ATTEND_BLOCK ? count - b : SEAL_ATTEND_BLOCK;
        __mmask16 mask = (__mmask16)((1u << n) - 1);
        const float *rows[SEAL_ATTEND_BLOCK];
        key_rows(a, head, first + b, n, rows);
        seal_attend_prefetch_keys(a, head, first + b + SEAL_ATTEND_BLOCK, SEAL_ATTEND_BLOCK);
        for (size_t g = 0; g < a->group; g++) {
            const float *q = q0 + g * hd;
            __m512 s[16];
            __m512 qc = _mm512_loadu_ps(q);
            for (int k = 0; k < 16; k++) s[k] = _mm512_mul_ps(qc, _mm512_loadu_ps(rows[k]));
            for (size_t i = 16; i < hd; i += 16) {
                qc = _mm512_loadu_ps(q + i);
                for (int k = 0; k < 16; k++) s[k] = _mm512_fmadd_ps(qc, _mm512_loadu_ps(rows[k] + i), s[k]);
            }
            __m512 v = _mm512_mul_ps(reduce16(s), scale);
            _mm512_mask_storeu_ps(scores + g * SEAL_ATTEND_TILE + b, mask, v);
            float m = _mm512_mask_reduce_max_ps(mask, v);
            if (m > row_max[g]) row_max[g] = m;
        }
    }
}

/* f16 keys rest in blocks of sixteen positions, dimension-major (seal_half.h): one widened
 * vector holds one dimension of sixteen keys and serves every query row, so a block costs
 * head_dim conversions and group * head_dim multiply-adds, with no reduction. Two accumulators
 * per row keep enough multiply-adds in flight. */
INLINE void scores_block_rows(const float *q, size_t hd, const uint16_t *block, __m512 scale, __mmask16 mask,
                              float *scores, float *row_max, int rows) {
    __m512 s[4][2];
    for (int r = 0; r < rows; r++) s[r][0] = s[r][1] = _mm512_setzero_ps();
    for (size_t i = 0; i < hd; i += 2) {
        __m512 k0 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(block + i * SEAL_F16_KEY_BLOCK)));
        __m512 k1 = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(block + (i + 1) * SEAL_F16_KEY_BLOCK)));
        for (int r = 0; r < rows; r++) {
            s[r][0] = _mm512_fmadd_ps(_mm512_set1_ps(q[r * hd + i]), k0, s[r][0]);
            s[r][1] = _mm512_fmadd_ps(_mm512_set1_ps(q[r * hd + i + 1]), k1, s[r][1]);
        }
    }
    for (int r = 0; r < rows; r++) {
        __m512 v = _mm512_mul_ps(_mm512_add_ps(s[r][0], s[r][1]), scale);
        _mm512_mask_storeu_ps(scores + r * SEAL_ATTEND_TILE, mask, v);
        float m = _mm512_mask_reduce_max_ps(mask, v);
        if (m > row_max[r]) row_max[r] = m;
    }
}

#define BLOCK_ROWS_CASE(n) case n: scores_block_rows(q, hd, block, scale, mask, s, m, n); break;

TARGET static void scores_blocks(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                                 float *scores, float *row_max) {
    size_t hd = a->head_dim;
    const float *q0 = a->queries + head * a->group * hd;
    const __m512 scale = _mm512_set1_ps(a->scale);
    for (size_t b = 0; b < count; b += SEAL_ATTEND_BLOCK) {
        size_t n = count - b < SEAL_ATTEND_BLOCK ? count - b : SEAL_ATTEND_BLOCK;
        __mmask16 mask = (__mmask16)((1u << n) - 1);
        const uint16_t *block = (const uint16_t *)a->keys + seal_attend_row(a, head, first + b);
        seal_attend_prefetch_keys(a, head, first + b + SEAL_ATTEND_BLOCK, SEAL_ATTEND_BLOCK);
        for (size_t g = 0; g < a->group; g += 4) {
            int rows = a->group - g < 4 ? (int)(a->group - g) : 4;
            const float *q = q0 + g * hd;
            float *s = scores + g * SEAL_ATTEND_TILE + b, *m = row_max + g;
            switch (rows) { BLOCK_ROWS_CASE(1) BLOCK_ROWS_CASE(2) BLOCK_ROWS_CASE(3) default: BLOCK_ROWS_CASE(4) }
        }
    }
}

TARGET static void scores_avx512(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                                 float *scores, float *row_max, float *keys) {
    (void)keys; /* both layouts are read where they rest */
    for (size_t g = 0; g < a->group; g++) row_max[g] = -INFINITY;
    if (a->cache == SEAL_CACHE_F16) scores_blocks(a, head, first, count, scores, row_max);
    else scores_rows(a, head, first, count, scores, row_max);
}

INLINE __m512 round16(__m512 x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

INLINE __m512 exp16(__m512 x) {
    /* Operands in this order let NaN through (min/max return the second when one is NaN). */
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), _mm512_min_ps(_mm512_set1_ps(88.5f), x));
    __m512 n, p;
    SEAL_EXP_REDUCED(x, n, p, round16, _mm512_mul_ps, _mm512_fmadd_ps, _mm512_fnmadd_ps, _mm512_add_ps, _mm512_set1_ps)
    /* Below -87.3 exp is under FLT_MIN: 0, so exp(-inf) (a masked logit) is exactly 0. */
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_set1_ps(SEAL_EXP_LOWEST), _CMP_NLT_UQ), _mm512_scalef_ps(p, n));
}

TARGET static float exp_sum_avx512(float *scores, size_t count, float shift) {
    __m512 sum = _mm512_setzero_ps(), s = _mm512_set1_ps(shift);
    for (size_t j = 0; j < count; j += 16) {
        __mmask16 mask = count - j >= 16 ? 0xffff : (__mmask16)((1u << (count - j)) - 1);
        __m512 e = exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, scores + j), s));
        _mm512_mask_storeu_ps(scores + j, mask, e);
        sum = _mm512_mask_add_ps(sum, mask, sum, e);
    }
    return _mm512_reduce_add_ps(sum);
}

/* acc = acc * correction + sum_j w_j v_j for `rows` rows (1..4) over `width` 16-lane chunks (1 or 4)
 * of the head dimension at a time; the compiler specialises each (rows, width, half). */
INLINE void values_rows(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                        const float *weights, const float *correction, float *state, int rows, int width, int half) {
    size_t hd = a->head_dim, stride = hd + SEAL_ATTEND_STATE;
    for (size_t c = 0; c < hd; c += 16 * (size_t)width) {
        __m512 acc[4][4];
        for (int r = 0; r < rows; r++)
            for (int w = 0; w < width; w++)
                acc[r][w] = _mm512_mul_ps(_mm512_loadu_ps(state + r * stride + SEAL_ATTEND_STATE + c + 16 * w),
                                          _mm512_set1_ps(correction[r]));
        for (size_t j = 0; j < count; j++) {
            size_t offset = seal_attend_row(a, head, first + j) + c;
            __m512 v[4];
            for (int w = 0; w < width; w++)
                v[w] = half ? _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)a->values + offset + 16 * w)))
                            : _mm512_loadu_ps((const float *)a->values + offset + 16 * w);
            for (int r = 0; r < rows; r++) {
                __m512 p = _mm512_set1_ps(weights[r * SEAL_ATTEND_TILE + j]);
                for (int w = 0; w < width; w++) acc[r][w] = _mm512_fmadd_ps(p, v[w], acc[r][w]);
            }
        }
        for (int r = 0; r < rows; r++)
            for (int w = 0; w < width; w++)
                _mm512_storeu_ps(state + r * stride + SEAL_ATTEND_STATE + c + 16 * w, acc[r][w]);
    }
}

#define ROWS_CASE(n, width, half)                                                                      \
    case n: values_rows(a, head, first, count, w, k, s, n, width, half); break;

#define VALUES_FOR(width, half)                                                                        \
    switch (rows) { ROWS_CASE(1, width, half) ROWS_CASE(2, width, half) ROWS_CASE(3, width, half)      \
                    default: values_rows(a, head, first, count, w, k, s, 4, width, half); }

TARGET static void values_avx512(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                                 const float *weights, const float *correction, float *state) {
    size_t stride = a->head_dim + SEAL_ATTEND_STATE;
    int wide = a->head_dim % 64 == 0, half = a->cache == SEAL_CACHE_F16;
    for (size_t g = 0; g < a->group; g += 4) {
        int rows = a->group - g < 4 ? (int)(a->group - g) : 4;
        const float *w = weights + g * SEAL_ATTEND_TILE, *k = correction + g;
        float *s = state + g * stride;
        if (wide && half) { VALUES_FOR(4, 1) }
        else if (wide) { VALUES_FOR(4, 0) }
        else if (half) { VALUES_FOR(1, 1) }
        else { VALUES_FOR(1, 0) }
    }
}

static const seal_attend_ops ops = {scores_avx512, exp_sum_avx512, values_avx512};

const seal_attend_ops *seal_attend_ops_avx512(void) { return &ops; }

#else

const seal_attend_ops *seal_attend_ops_avx512(void) { return 0; }

#endif
