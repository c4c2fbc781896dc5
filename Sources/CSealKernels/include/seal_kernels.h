#ifndef SEAL_KERNELS_H
#define SEAL_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Matrix-vector kernels for compact weights (bf16, Q8_0), in C so that each can be compiled
 * for several instruction sets and the best one the CPU supports picked at run time:
 * AVX-512, AVX2 with FMA, and a portable loop for everything else. Swift's SIMD types cannot
 * be compiled per function for a wider target, and at the baseline x86-64 target its
 * conversions from int8 and bf16 measured about 4x slower than AVX2.
 *
 * All kernels compute y[r] = sum_k W[r, k] * x[k] for rows [first, last) of a row-major
 * matrix with `columns` values per row, accumulating in fp32. `columns` must be a multiple
 * of 32. Q8_0 rows hold `columns` int8 quants and `columns / 32` fp32 scales (one per
 * 32-value block); bf16 rows hold `columns` bf16 values (the upper halves of fp32 values).
 */

void seal_matvec_q8_0(const int8_t *quants, const float *scales, size_t columns,
                      const float *x, float *y, size_t first, size_t last);

void seal_matvec_bf16(const uint16_t *values, size_t columns,
                      const float *x, float *y, size_t first, size_t last);

/* fp32: any `columns`; each row's sum is formed the same way however rows are split. */
void seal_matvec_f32(const float *values, size_t columns, const float *x, float *y, size_t first, size_t last);

/* Reads `bytes` bytes from `start` once, in order, and returns their XOR (so the reads cannot be
 * dropped): the loop of the benchmark's read-bandwidth probe, which runs it over the very
 * weights a decode step streams. */
uint64_t seal_read_bytes(const void *start, size_t bytes);

/* The instruction-set variants, best last. */
enum { SEAL_KERNELS_PORTABLE = 0, SEAL_KERNELS_AVX2 = 1, SEAL_KERNELS_AVX512 = 2 };

/* The variant the two functions above run: the best this CPU supports. */
int seal_kernels_variant(void);

/* Whether this CPU (and this build) can run `variant`. */
int seal_kernels_supported(int variant);

/* The same products with an explicit variant, for tests that check every supported one.
 * An unsupported variant runs the portable one. */
void seal_matvec_q8_0_variant(int variant, const int8_t *quants, const float *scales, size_t columns,
                              const float *x, float *y, size_t first, size_t last);
void seal_matvec_bf16_variant(int variant, const uint16_t *values, size_t columns,
                              const float *x, float *y, size_t first, size_t last);
void seal_matvec_f32_variant(int variant, const float *values, size_t columns,
                             const float *x, float *y, size_t first, size_t last);

#endif
