#include "seal_kernels.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define SEAL_X86 1
#endif

/* ---- portable: eight independent partial sums, which compilers vectorise for the baseline ---- */

static float dot_q8_0_portable(const int8_t *q, const float *scales, size_t columns, const float *x) {
    float total = 0;
    for (size_t b = 0; b < columns / 32; b++) {
        float partial[8] = {0};
        for (size_t i = 0; i < 32; i += 8)
            for (size_t j = 0; j < 8; j++) partial[j] += (float)q[b * 32 + i + j] * x[b * 32 + i + j];
        float block = 0;
        for (size_t j = 0; j < 8; j++) block += partial[j];
        total += block * scales[b];
    }
    return total;
}

static float bf16_to_float(uint16_t bits) {
    uint32_t widened = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &widened, sizeof value);
    return value;
}

static float dot_bf16_portable(const uint16_t *w, size_t columns, const float *x) {
    float partial[8] = {0};
    for (size_t i = 0; i < columns; i += 8)
        for (size_t j = 0; j < 8; j++) partial[j] += bf16_to_float(w[i + j]) * x[i + j];
    float total = 0;
    for (size_t j = 0; j < 8; j++) total += partial[j];
    return total;
}

static void q8_0_portable(const int8_t *quants, const float *scales, size_t columns,
                          const float *x, float *y, size_t first, size_t last) {
    for (size_t r = first; r < last; r++)
        y[r] = dot_q8_0_portable(quants + r * columns, scales + r * (columns / 32), columns, x);
}

static void bf16_portable(const uint16_t *values, size_t columns, const float *x, float *y,
                          size_t first, size_t last) {
    for (size_t r = first; r < last; r++) y[r] = dot_bf16_portable(values + r * columns, columns, x);
}

#ifdef SEAL_X86

/* ---- AVX2 + FMA: 8 lanes; int8 and bf16 widened with one instruction each ---- */

__attribute__((target("avx2,fma"))) static float sum8(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

__attribute__((target("avx2,fma"))) static void q8_0_avx2(const int8_t *quants, const float *scales, size_t columns,
                                                         const float *x, float *y, size_t first, size_t last) {
    for (size_t r = first; r < last; r++) {
        const int8_t *q = quants + r * columns;
        const float *s = scales + r * (columns / 32);
        __m256 total = _mm256_setzero_ps();
        for (size_t b = 0; b < columns / 32; b++) {
            const int8_t *block = q + b * 32;
            const float *v = x + b * 32;
            __m256 w0 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)block)));
            __m256 w1 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(block + 8))));
            __m256 w2 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(block + 16))));
            __m256 w3 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(block + 24))));
            __m256 a = _mm256_mul_ps(w0, _mm256_loadu_ps(v));
            __m256 c = _mm256_mul_ps(w1, _mm256_loadu_ps(v + 8));
            a = _mm256_fmadd_ps(w2, _mm256_loadu_ps(v + 16), a);
            c = _mm256_fmadd_ps(w3, _mm256_loadu_ps(v + 24), c);
            total = _mm256_fmadd_ps(_mm256_add_ps(a, c), _mm256_set1_ps(s[b]), total);
        }
        y[r] = sum8(total);
    }
}

__attribute__((target("avx2,fma"))) static void bf16_avx2(const uint16_t *values, size_t columns, const float *x,
                                                        float *y, size_t first, size_t last) {
    for (size_t r = first; r < last; r++) {
        const uint16_t *w = values + r * columns;
        __m256 a = _mm256_setzero_ps(), c = _mm256_setzero_ps();
        for (size_t i = 0; i < columns; i += 16) {
            __m256i lo = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(w + i))), 16);
            __m256i hi = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(w + i + 8))), 16);
            a = _mm256_fmadd_ps(_mm256_castsi256_ps(lo), _mm256_loadu_ps(x + i), a);
            c = _mm256_fmadd_ps(_mm256_castsi256_ps(hi), _mm256_loadu_ps(x + i + 8), c);
        }
        y[r] = sum8(_mm256_add_ps(a, c));
    }
}

/* ---- AVX-512: 16 lanes ---- */

__attribute__((target("avx512f"))) static void q8_0_avx512(const int8_t *quants, const float *scales, size_t columns,
                                                          const float *x, float *y, size_t first, size_t last) {
    for (size_t r = first; r < last; r++) {
        const int8_t *q = quants + r * columns;
        const float *s = scales + r * (columns / 32);
        __m512 total = _mm512_setzero_ps();
        for (size_t b = 0; b < columns / 32; b++) {
            const int8_t *block = q + b * 32;
            const float *v = x + b * 32;
            __m512 w0 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)block)));
            __m512 w1 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(block + 16))));
            __m512 a = _mm512_mul_ps(w0, _mm512_loadu_ps(v));
            a = _mm512_fmadd_ps(w1, _mm512_loadu_ps(v + 16), a);
            total = _mm512_fmadd_ps(a, _mm512_set1_ps(s[b]), total);
        }
        y[r] = _mm512_reduce_add_ps(total);
    }
}

__attribute__((target("avx512f"))) static void bf16_avx512(const uint16_t *values, size_t columns, const float *x,
                                                          float *y, size_t first, size_t last) {
    for (size_t r = first; r < last; r++) {
        const uint16_t *w = values + r * columns;
        __m512 a = _mm512_setzero_ps(), c = _mm512_setzero_ps();
        for (size_t i = 0; i < columns; i += 32) {
            __m512i lo = _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(w + i))), 16);
            __m512i hi = _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(w + i + 16))), 16);
            a = _mm512_fmadd_ps(_mm512_castsi512_ps(lo), _mm512_loadu_ps(x + i), a);
            c = _mm512_fmadd_ps(_mm512_castsi512_ps(hi), _mm512_loadu_ps(x + i + 16), c);
        }
        y[r] = _mm512_reduce_add_ps(_mm512_add_ps(a, c));
    }
}

#endif

/* ---- dispatch, decided once ---- */

typedef void (*q8_0_kernel)(const int8_t *, const float *, size_t, const float *, float *, size_t, size_t);
typedef void (*bf16_kernel)(const uint16_t *, size_t, const float *, float *, size_t, size_t);

static q8_0_kernel q8_0_kernels[3] = {q8_0_portable, q8_0_portable, q8_0_portable};
static bf16_kernel bf16_kernels[3] = {bf16_portable, bf16_portable, bf16_portable};
static int supported[3] = {1, 0, 0};
static int best = SEAL_KERNELS_PORTABLE;

__attribute__((constructor)) static void seal_kernels_choose(void) {
#ifdef SEAL_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        q8_0_kernels[SEAL_KERNELS_AVX2] = q8_0_avx2;
        bf16_kernels[SEAL_KERNELS_AVX2] = bf16_avx2;
        supported[SEAL_KERNELS_AVX2] = 1;
        best = SEAL_KERNELS_AVX2;
    }
    if (__builtin_cpu_supports("avx512f")) {
        q8_0_kernels[SEAL_KERNELS_AVX512] = q8_0_avx512;
        bf16_kernels[SEAL_KERNELS_AVX512] = bf16_avx512;
        supported[SEAL_KERNELS_AVX512] = 1;
        best = SEAL_KERNELS_AVX512;
    }
#endif
}

static int checked(int variant) { return variant >= 0 && variant <= 2 && supported[variant] ? variant : 0; }

void seal_matvec_q8_0(const int8_t *quants, const float *scales, size_t columns,
                      const float *x, float *y, size_t first, size_t last) {
    q8_0_kernels[best](quants, scales, columns, x, y, first, last);
}

void seal_matvec_bf16(const uint16_t *values, size_t columns, const float *x, float *y, size_t first, size_t last) {
    bf16_kernels[best](values, columns, x, y, first, last);
}

void seal_matvec_q8_0_variant(int variant, const int8_t *quants, const float *scales, size_t columns,
                              const float *x, float *y, size_t first, size_t last) {
    q8_0_kernels[checked(variant)](quants, scales, columns, x, y, first, last);
}

void seal_matvec_bf16_variant(int variant, const uint16_t *values, size_t columns,
                              const float *x, float *y, size_t first, size_t last) {
    bf16_kernels[checked(variant)](values, columns, x, y, first, last);
}

int seal_kernels_variant(void) { return best; }

int seal_kernels_supported(int variant) { return variant >= 0 && variant <= 2 && supported[variant]; }
