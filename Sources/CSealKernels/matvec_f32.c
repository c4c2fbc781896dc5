#include "seal_kernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define SEAL_X86 1
#endif

/*
 * fp32 matrix-vector products for the decode step.
 *
 * Rows are computed one at a time, each read as one sequential stream. Blocks of four rows
 * (sharing the loads of x) were tried and read memory at only 15 GB/s on one core against
 * 28 GB/s for single rows on the same machine: four interleaved streams, each only a few
 * cache lines long, defeat the hardware prefetcher, while x stays in L1 either way.
 * Each row's sum is formed in the same order however rows are split over threads or grouped
 * with other matrices, so the results are bit-identical for any split.
 * Any width is accepted: the last columns are a masked (or scalar) tail.
 */

/* ---- portable: eight partial sums per row, then the tail ---- */

static void f32_portable(const float *w, size_t columns, const float *x, float *y, size_t first, size_t last) {
    size_t body = columns / 8 * 8;
    for (size_t r = first; r < last; r++) {
        const float *row = w + r * columns;
        float partial[8] = {0};
        for (size_t i = 0; i < body; i += 8)
            for (size_t j = 0; j < 8; j++) partial[j] += row[i + j] * x[i + j];
        float total = 0;
        for (size_t j = 0; j < 8; j++) total += partial[j];
        for (size_t i = body; i < columns; i++) total += row[i] * x[i];
        y[r] = total;
    }
}

#ifdef SEAL_X86

/* ---- AVX2 + FMA: two 8-lane accumulators, masked tail ---- */

__attribute__((target("avx2,fma"))) static inline float f32_sum8(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

__attribute__((target("avx2,fma"))) static float f32_avx2_row(const float *row, size_t columns, const float *x) {
    __m256 a = _mm256_setzero_ps(), c = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= columns; i += 16) {
        a = _mm256_fmadd_ps(_mm256_loadu_ps(row + i), _mm256_loadu_ps(x + i), a);
        c = _mm256_fmadd_ps(_mm256_loadu_ps(row + i + 8), _mm256_loadu_ps(x + i + 8), c);
    }
    if (i + 8 <= columns) {
        a = _mm256_fmadd_ps(_mm256_loadu_ps(row + i), _mm256_loadu_ps(x + i), a);
        i += 8;
    }
    if (i < columns) {
        static const int lanes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
        __m256i mask = _mm256_loadu_si256((const __m256i *)(lanes + 8 - (columns - i)));
        c = _mm256_fmadd_ps(_mm256_maskload_ps(row + i, mask), _mm256_maskload_ps(x + i, mask), c);
    }
    return f32_sum8(_mm256_add_ps(a, c));
}

__attribute__((target("avx2,fma"))) static void f32_avx2(const float *w, size_t columns, const float *x, float *y,
                                                        size_t first, size_t last) {
    for (size_t r = first; r < last; r++) y[r] = f32_avx2_row(w + r * columns, columns, x);
}

/* ---- AVX-512: two 16-lane accumulators, masked tail ---- */

__attribute__((target("avx512f"))) static float f32_avx512_row(const float *row, size_t columns, const float *x) {
    __m512 a = _mm512_setzero_ps(), c = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= columns; i += 32) {
        a = _mm512_fmadd_ps(_mm512_loadu_ps(row + i), _mm512_loadu_ps(x + i), a);
        c = _mm512_fmadd_ps(_mm512_loadu_ps(row + i + 16), _mm512_loadu_ps(x + i + 16), c);
    }
    if (i + 16 <= columns) {
        a = _mm512_fmadd_ps(_mm512_loadu_ps(row + i), _mm512_loadu_ps(x + i), a);
        i += 16;
    }
    if (i < columns) {
        __mmask16 mask = (__mmask16)((1u << (columns - i)) - 1);
        c = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, row + i), _mm512_maskz_loadu_ps(mask, x + i), c);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a, c));
}

__attribute__((target("avx512f"))) static void f32_avx512(const float *w, size_t columns, const float *x, float *y,
                                                          size_t first, size_t last) {
    for (size_t r = first; r < last; r++) y[r] = f32_avx512_row(w + r * columns, columns, x);
}

#endif

typedef void (*f32_kernel)(const float *, size_t, const float *, float *, size_t, size_t);

static f32_kernel f32_kernel_for(int variant) {
#ifdef SEAL_X86
    if (!seal_kernels_supported(variant)) return f32_portable;
    if (variant == SEAL_KERNELS_AVX512) return f32_avx512;
    if (variant == SEAL_KERNELS_AVX2) return f32_avx2;
#else
    (void)variant;
#endif
    return f32_portable;
}

void seal_matvec_f32_variant(int variant, const float *values, size_t columns, const float *x, float *y,
                             size_t first, size_t last) {
    f32_kernel_for(variant)(values, columns, x, y, first, last);
}

void seal_matvec_f32(const float *values, size_t columns, const float *x, float *y, size_t first, size_t last) {
    static f32_kernel chosen;
    f32_kernel kernel = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!kernel) {
        kernel = f32_kernel_for(seal_kernels_variant());
        __atomic_store_n(&chosen, kernel, __ATOMIC_RELAXED);
    }
    kernel(values, columns, x, y, first, last);
}
