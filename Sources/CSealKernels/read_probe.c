#include "seal_kernels.h"

/*
 * The read-bandwidth probe's loop: every byte of a range read once, in order, with nothing
 * computed but an XOR. Integer operations, so that the bit patterns of any storage (bf16,
 * int8 quants) cannot slow it down as denormal floats would; four accumulators, which the
 * compiler vectorises, so that neither a dependency chain nor the instruction count limits it
 * before memory does (on the development machine it read as fast as any float loop tried in
 * the same runs, SSE or AVX-512).
 */
uint64_t seal_read_bytes(const void *start, size_t bytes) {
    const unsigned char *p = start;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 32 <= bytes; i += 32) {
        uint64_t w[4];
        __builtin_memcpy(w, p + i, sizeof w);
        a ^= w[0];
        b ^= w[1];
        c ^= w[2];
        d ^= w[3];
    }
    for (; i < bytes; i++) a ^= p[i];
    return a ^ b ^ c ^ d;
}
