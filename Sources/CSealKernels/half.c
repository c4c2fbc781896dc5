#include "seal_half.h"
#include "seal_kernels.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define SEAL_HALF_X86 1
#endif

/* ---- portable: bit manipulation, round to nearest even ---- */

static uint16_t half_from_float(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint32_t sign = (bits >> 16) & 0x8000u;
    uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return (uint16_t)(sign | 0x7e00u);       /* NaN */
    if (magnitude >= 0x477fe000u) return (uint16_t)(sign | 0x7bffu);      /* >= 65504 (and inf): saturate */
    if (magnitude < 0x38800000u) {                                        /* below 2^-14: subnormal half */
        float scaled;
        memcpy(&scaled, &magnitude, sizeof scaled);
        scaled *= 16777216.0f;                                            /* units of 2^-24, exact */
        uint32_t units = (uint32_t)scaled;
        float rest = scaled - (float)units;
        if (rest > 0.5f || (rest == 0.5f && (units & 1u))) units += 1;    /* 1024 is the smallest normal: right */
        return (uint16_t)(sign | units);
    }
    magnitude += 0xfffu + ((magnitude >> 13) & 1u);                       /* round the 13 dropped bits */
    magnitude -= 112u << 23;                                              /* exponent bias 127 -> 15 */
    return (uint16_t)(sign | (magnitude >> 13));
}

static float float_from_half(uint16_t half) {
    uint32_t sign = (uint32_t)(half & 0x8000u) << 16;
    uint32_t exponent = (half >> 10) & 0x1fu, mantissa = half & 0x3ffu;
    uint32_t bits;
    if (exponent == 0) {
        float magnitude = (float)mantissa * 5.9604644775390625e-8f;       /* 2^-24 */
        memcpy(&bits, &magnitude, sizeof bits);
        bits |= sign;
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static void encode_portable(const float *source, uint16_t *target, size_t count) {
    for (size_t i = 0; i < count; i++) target[i] = half_from_float(source[i]);
}

static void decode_portable(const uint16_t *source, float *target, size_t count) {
    for (size_t i = 0; i < count; i++) target[i] = float_from_half(source[i]);
}

#ifdef SEAL_HALF_X86

/* ---- F16C: eight values per instruction ---- */

__attribute__((target("avx2,f16c"))) static void encode_f16c(const float *source, uint16_t *target, size_t count) {
    const __m256 high = _mm256_set1_ps(65504.0f), low = _mm256_set1_ps(-65504.0f);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        /* min/max return their second operand when one is NaN: the value, so NaN passes through. */
        __m256 clamped = _mm256_max_ps(low, _mm256_min_ps(high, _mm256_loadu_ps(source + i)));
        _mm_storeu_si128((__m128i *)(target + i), _mm256_cvtps_ph(clamped, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
    for (; i < count; i++) target[i] = half_from_float(source[i]);
}

__attribute__((target("avx2,f16c"))) static void decode_f16c(const uint16_t *source, float *target, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i)));
        __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i + 8)));
        _mm256_storeu_ps(target + i, a);
        _mm256_storeu_ps(target + i + 8, b);
    }
    for (; i < count; i++) target[i] = float_from_half(source[i]);
}

#endif

/* ---- dispatch, decided once ---- */

typedef void (*encode_kernel)(const float *, uint16_t *, size_t);
typedef void (*decode_kernel)(const uint16_t *, float *, size_t);

static encode_kernel encoders[3] = {encode_portable, encode_portable, encode_portable};
static decode_kernel decoders[3] = {decode_portable, decode_portable, decode_portable};
static int best_half = SEAL_KERNELS_PORTABLE;
static int half_supported[3] = {1, 0, 0};

__attribute__((constructor)) static void seal_half_choose(void) {
#ifdef SEAL_HALF_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c")) {
        for (int variant = SEAL_KERNELS_AVX2; variant <= SEAL_KERNELS_AVX512; variant++) {
            encoders[variant] = encode_f16c;
            decoders[variant] = decode_f16c;
            half_supported[variant] = 1;
        }
        best_half = SEAL_KERNELS_AVX2;
    }
#endif
}

static int half_variant(int variant) { return variant >= 0 && variant <= 2 && half_supported[variant] ? variant : 0; }

void seal_f16_encode(const float *source, uint16_t *target, size_t count) { encoders[best_half](source, target, count); }

void seal_f16_decode(const uint16_t *source, float *target, size_t count) { decoders[best_half](source, target, count); }

void seal_f16_encode_variant(int variant, const float *source, uint16_t *target, size_t count) {
    encoders[half_variant(variant)](source, target, count);
}

void seal_f16_decode_variant(int variant, const uint16_t *source, float *target, size_t count) {
    decoders[half_variant(variant)](source, target, count);
}

/* ---- the blocked key layout ---- */

/* Dimensions converted per step: a block's slice of this many dimensions fits on the stack. */
#define KEY_SLICE 64

void seal_f16_encode_key(const float *row, uint16_t *head_keys, size_t position, size_t head_dim) {
    uint16_t *lane = head_keys + (position / SEAL_F16_KEY_BLOCK) * SEAL_F16_KEY_BLOCK * head_dim + position % SEAL_F16_KEY_BLOCK;
    uint16_t halves[KEY_SLICE];
    for (size_t start = 0; start < head_dim; start += KEY_SLICE) {
        size_t n = head_dim - start < KEY_SLICE ? head_dim - start : KEY_SLICE;
        encoders[best_half](row + start, halves, n);
        for (size_t i = 0; i < n; i++) lane[(start + i) * SEAL_F16_KEY_BLOCK] = halves[i];
    }
}

void seal_f16_decode_keys(const uint16_t *head_keys, size_t first, size_t count, size_t head_dim, float *rows) {
    seal_f16_decode_keys_variant(best_half, head_keys, first, count, head_dim, rows);
}

void seal_f16_decode_keys_variant(int variant, const uint16_t *head_keys, size_t first, size_t count, size_t head_dim,
                                  float *rows) {
    decode_kernel decode = decoders[half_variant(variant)];
    float slice[KEY_SLICE * SEAL_F16_KEY_BLOCK];
    size_t end = first + count;
    for (size_t block = first / SEAL_F16_KEY_BLOCK * SEAL_F16_KEY_BLOCK; block < end; block += SEAL_F16_KEY_BLOCK) {
        const uint16_t *source = head_keys + block * head_dim;
        size_t low = block > first ? block : first;
        size_t high = block + SEAL_F16_KEY_BLOCK < end ? block + SEAL_F16_KEY_BLOCK : end;
        for (size_t start = 0; start < head_dim; start += KEY_SLICE) {
            size_t n = head_dim - start < KEY_SLICE ? head_dim - start : KEY_SLICE;
            decode(source + start * SEAL_F16_KEY_BLOCK, slice, n * SEAL_F16_KEY_BLOCK);
            for (size_t j = low; j < high; j++) {
                float *target = rows + (j - first) * head_dim + start;
                const float *lane = slice + (j - block);
                for (size_t i = 0; i < n; i++) target[i] = lane[i * SEAL_F16_KEY_BLOCK];
            }
        }
    }
}
