#include "attend_ops.h"
#include "seal_half.h"

#include <math.h>

/*
 * AVX2 + FMA + F16C steps of the fused decode attention (attend_ops.h), as the AVX-512 ones
 * with 8 lanes: scores of eight f32 keys reduced at once (two rounds of hadd and one cross-lane
 * add), of sixteen blocked f16 keys in two vectors per dimension with no reduction, values accumulated 16 lanes of the head dimension at a time for up to four rows. exp
 * builds 2^n from the exponent bits, and is 0 below -87.3 (where exp is under FLT_MIN).
 */

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma,f16c")))
#define INLINE __attribute__((target("avx2,fma,f16c"), always_inline)) static inline

static const float zero_row[SEAL_ATTEND_MAX_HEAD_DIM];

/* Lane k of the result is the sum of the lanes of s[k]. */
INLINE __m256 reduce8(const __m256 *s) {
    __m256 a = _mm256_hadd_ps(_mm256_hadd_ps(s[0], s[1]), _mm256_hadd_ps(s[2], s[3]));
    __m256 b = _mm256_hadd_ps(_mm256_hadd_ps(s[4], s[5]), _mm256_hadd_ps(s[6], s[7]));
    return _mm256_add_ps(_mm256_permute2f128_ps(a, b, 0x20), _mm256_permute2f128_ps(a, b, 0x31));
}

/* f32 keys rest row-major: eight accumulators, one per key, reduced at once. */
TARGET static void scores_rows(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                               float *scores, float *row_max) {
    size_t hd = a->head_dim;
    const float *q0 = a->queries + head * a->group * hd;
    const __m256 scale = _mm256_set1_ps(a->scale);
    for (size_t b = 0; b < count; b += 8) {
        size_t n = count - b < 8 ? count - b : 8;
        const float *rows[8];
        for (size_t k = 0; k < 8; k++)
            rows[k] = k < n ? (const float *)a->keys + seal_attend_row(a, head, first + b + k) : zero_row;
        seal_attend_prefetch_keys(a, head, first + b + 16, 16); /* two 8-key blocks ahead: 15 -> 19-21 GB/s (fp32 cache, 8K keys, 2 cores); one block ahead gained less */
        for (size_t g = 0; g < a->group; g++) {
            const float *q = q0 + g * hd;
            __m256 s[8];
            __m256 qc = _mm256_loadu_ps(q);
            for (int k = 0; k < 8; k++) s[k] = _mm256_mul_ps(qc, _mm256_loadu_ps(rows[k]));
            for (size_t i = 8; i < hd; i += 8) {
                qc = _mm256_loadu_ps(q + i);
                for (int k = 0; k < 8; k++) s[k] = _mm256_fmadd_ps(qc, _mm256_loadu_ps(rows[k] + i), s[k]);
            }
            float lanes[8];
            _mm256_storeu_ps(lanes, _mm256_mul_ps(reduce8(s), scale));
            float *target = scores + g * SEAL_ATTEND_TILE + b;
            for (size_t k = 0; k < n; k++) {
                target[k] = lanes[k];
                if (lanes[k] > row_max[g]) row_max[g] = lanes[k];
            }
        }
    }
}

/* f16 keys rest in blocks of sixteen positions, dimension-major (seal_half.h): two widened
 * vectors hold one dimension of the sixteen keys and serve every query row; no reduction. */
INLINE void scores_block_rows(const float *q, size_t hd, const uint16_t *block, __m256 scale, size_t n,
                              float *scores, float *row_max, int rows) {
    __m256 s[4][2];
    for (int r = 0; r < rows; r++) s[r][0] = s[r][1] = _mm256_setzero_ps();
    for (size_t i = 0; i < hd; i++) {
        const uint16_t *dimension = block + i * SEAL_F16_KEY_BLOCK;
        __m256 low = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)dimension));
        __m256 high = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(dimension + 8)));
        for (int r = 0; r < rows; r++) {
            __m256 qi = _mm256_broadcast_ss(q + r * hd + i);
            s[r][0] = _mm256_fmadd_ps(qi, low, s[r][0]);
            s[r][1] = _mm256_fmadd_ps(qi, high, s[r][1]);
        }
    }
    for (int r = 0; r < rows; r++) {
        float lanes[16];
        _mm256_storeu_ps(lanes, _mm256_mul_ps(s[r][0], scale));
        _mm256_storeu_ps(lanes + 8, _mm256_mul_ps(s[r][1], scale));
        for (size_t k = 0; k < n; k++) {
            scores[r * SEAL_ATTEND_TILE + k] = lanes[k];
            if (lanes[k] > row_max[r]) row_max[r] = lanes[k];
        }
    }
}

#define BLOCK_ROWS_CASE(n) case n: scores_block_rows(q, hd, block, scale, count_in_block, s, m, n); break;

TARGET static void scores_blocks(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                                 float *scores, float *row_max) {
    size_t hd = a->head_dim;
    const float *q0 = a->queries + head * a->group * hd;
    const __m256 scale = _mm256_set1_ps(a->scale);
    for (size_t b = 0; b < count; b += SEAL_F16_KEY_BLOCK) {
        size_t count_in_block = count - b < SEAL_F16_KEY_BLOCK ? count - b : SEAL_F16_KEY_BLOCK;
        const uint16_t *block = (const uint16_t *)a->keys + seal_attend_row(a, head, first + b);
        seal_attend_prefetch_keys(a, head, first + b + SEAL_F16_KEY_BLOCK, SEAL_F16_KEY_BLOCK);
        for (size_t g = 0; g < a->group; g += 4) {
            int rows = a->group - g < 4 ? (int)(a->group - g) : 4;
            const float *q = q0 + g * hd;
            float *s = scores + g * SEAL_ATTEND_TILE + b, *m = row_max + g;
            switch (rows) { BLOCK_ROWS_CASE(1) BLOCK_ROWS_CASE(2) BLOCK_ROWS_CASE(3) default: BLOCK_ROWS_CASE(4) }
        }
    }
}

TARGET static void scores_avx2(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                               float *scores, float *row_max, float *keys) {
    (void)keys; /* both layouts are read where they rest */
    for (size_t g = 0; g < a->group; g++) row_max[g] = -INFINITY;
    if (a->cache == SEAL_CACHE_F16) scores_blocks(a, head, first, count, scores, row_max);
    else scores_rows(a, head, first, count, scores, row_max);
}

INLINE __m256 round8(__m256 x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

INLINE __m256 exp8(__m256 x0) {
    /* Operands in this order let NaN through (min/max return the second when one is NaN). */
    __m256 x = _mm256_max_ps(_mm256_set1_ps(-87.0f), _mm256_min_ps(_mm256_set1_ps(88.0f), x0));
    __m256 n, p;
    SEAL_EXP_REDUCED(x, n, p, round8, _mm256_mul_ps, _mm256_fmadd_ps, _mm256_fnmadd_ps, _mm256_add_ps, _mm256_set1_ps)
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    /* Below -87.3 exp is under FLT_MIN: 0, so exp(-inf) (a masked logit) is exactly 0. */
    return _mm256_and_ps(_mm256_mul_ps(p, _mm256_castsi256_ps(bits)), _mm256_cmp_ps(x0, _mm256_set1_ps(SEAL_EXP_LOWEST), _CMP_NLT_UQ));
}

TARGET static float exp_sum_avx2(float *scores, size_t count, float shift) {
    __m256 sum = _mm256_setzero_ps(), s = _mm256_set1_ps(shift);
    size_t j = 0;
    for (; j + 8 <= count; j += 8) {
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(scores + j), s));
        _mm256_storeu_ps(scores + j, e);
        sum = _mm256_add_ps(sum, e);
    }
    float lanes[8], total = 0;
    _mm256_storeu_ps(lanes, sum);
    for (int l = 0; l < 8; l++) total += lanes[l];
    for (; j < count; j++) {
        scores[j] = expf(scores[j] - shift);
        total += scores[j];
    }
    return total;
}

/* acc = acc * correction + sum_j w_j v_j for `rows` rows (1..4), 16 lanes of the head dimension
 * per pass; the compiler specialises each (rows, half). */
INLINE void values_rows(const seal_decode_attention *a, size_t head, size_t first, size_t count, const float *w,
                        const float *correction, float *state, int rows, int half) {
    size_t hd = a->head_dim, stride = hd + SEAL_ATTEND_STATE;
    for (size_t c = 0; c < hd; c += 16) {
        __m256 acc[4][2];
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < 2; h++)
                acc[r][h] = _mm256_mul_ps(_mm256_loadu_ps(state + r * stride + SEAL_ATTEND_STATE + c + 8 * h),
                                          _mm256_set1_ps(correction[r]));
        for (size_t j = 0; j < count; j++) {
            size_t offset = seal_attend_row(a, head, first + j) + c;
            __m256 v[2];
            for (int h = 0; h < 2; h++)
                v[h] = half ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)a->values + offset + 8 * h)))
                            : _mm256_loadu_ps((const float *)a->values + offset + 8 * h);
            for (int r = 0; r < rows; r++) {
                __m256 p = _mm256_broadcast_ss(w + r * SEAL_ATTEND_TILE + j);
                for (int h = 0; h < 2; h++) acc[r][h] = _mm256_fmadd_ps(p, v[h], acc[r][h]);
            }
        }
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < 2; h++)
                _mm256_storeu_ps(state + r * stride + SEAL_ATTEND_STATE + c + 8 * h, acc[r][h]);
    }
}

#define ROWS_CASE(n, half) case n: values_rows(a, head, first, count, w, k, s, n, half); break;
#define VALUES_FOR(half)                                                                               \
    switch (rows) { ROWS_CASE(1, half) ROWS_CASE(2, half) ROWS_CASE(3, half)                          \
                    default: values_rows(a, head, first, count, w, k, s, 4, half); }

TARGET static void values_avx2(const seal_decode_attention *a, size_t head, size_t first, size_t count,
                               const float *weights, const float *correction, float *state) {
    size_t stride = a->head_dim + SEAL_ATTEND_STATE;
    for (size_t g = 0; g < a->group; g += 4) {
        int rows = a->group - g < 4 ? (int)(a->group - g) : 4;
        const float *w = weights + g * SEAL_ATTEND_TILE, *k = correction + g;
        float *s = state + g * stride;
        if (a->cache == SEAL_CACHE_F16) { VALUES_FOR(1) }
        else { VALUES_FOR(0) }
    }
}

static const seal_attend_ops ops = {scores_avx2, exp_sum_avx2, values_avx2};

const seal_attend_ops *seal_attend_ops_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("f16c") ? &ops : 0;
}

#else

const seal_attend_ops *seal_attend_ops_avx2(void) { return 0; }

#endif
