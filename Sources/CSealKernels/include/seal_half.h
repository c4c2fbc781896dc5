#ifndef SEAL_HALF_H
#define SEAL_HALF_H

#include <stddef.h>
#include <stdint.h>

/*
 * IEEE half-precision conversions for the f16 KV cache, in C for the same reason as the
 * matvec kernels (seal_kernels.h): F16C converts eight values per instruction, and Swift
 * cannot compile one function for a wider target than the package's baseline.
 *
 * Encoding rounds to nearest, ties to even, and SATURATES: finite values beyond the half
 * range (|x| > 65504) and infinities become +-65504, so one outlier key cannot turn a whole
 * attention row into NaN. NaN stays NaN. Decoding is exact (subnormals included).
 * Variants are those of seal_kernels.h (AVX2 here means F16C); the AVX-512 slot runs the
 * AVX2 one (the conversion is bound by memory, not by lane count).
 */

void seal_f16_encode(const float *source, uint16_t *target, size_t count);
void seal_f16_decode(const uint16_t *source, float *target, size_t count);

/* The same with an explicit variant, for tests; an unsupported one runs the portable code. */
void seal_f16_encode_variant(int variant, const float *source, uint16_t *target, size_t count);
void seal_f16_decode_variant(int variant, const uint16_t *source, float *target, size_t count);

#endif
