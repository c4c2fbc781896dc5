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

/*
 * The f16 cache's KEYS rest in blocks of SEAL_F16_KEY_BLOCK positions, each block laid out
 * [head_dim][SEAL_F16_KEY_BLOCK]: element (position j, dimension i) of one KV head's keys is at
 *     (j / 16) * 16 * head_dim + i * 16 + j % 16.
 * Decode attention then scores sixteen keys per vector, one dimension at a time, with no
 * horizontal sums and no widened copy of the keys (seal_attend.h). A head's keys always take
 * whole blocks: room for the positions rounded up to a multiple of 16. Values stay row-major.
 */
#define SEAL_F16_KEY_BLOCK 16

/* Stores one key row of `head_dim` floats at `position` of a head's blocked keys (rounded and
 * saturated as seal_f16_encode). */
void seal_f16_encode_key(const float *row, uint16_t *head_keys, size_t position, size_t head_dim);

/* Widens the keys of positions [first, first + count) of a head's blocked keys into row-major
 * `rows` ([count][head_dim]). Reads the whole blocks these positions lie in. */
void seal_f16_decode_keys(const uint16_t *head_keys, size_t first, size_t count, size_t head_dim, float *rows);
/* The same with an explicit conversion variant (the portable attention steps take the portable one). */
void seal_f16_decode_keys_variant(int variant, const uint16_t *head_keys, size_t first, size_t count, size_t head_dim,
                                  float *rows);

#endif
