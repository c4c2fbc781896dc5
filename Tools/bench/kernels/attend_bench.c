/*
 * The fused decode attention over SmolLM2-135M's shapes (30 layers, 3 KV heads of 64, 3 query
 * heads each) at a given number of cached positions, timed per token, in GB/s of cache read.
 *
 *   attend_bench CACHE THREADS LENGTH    CACHE: 0 f32, 1 f16
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "seal_attend.h"

enum { LAYERS = 30, HEADS = 3, GROUP = 3, DIM = 64 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: attend_bench CACHE(0 f32, 1 f16) THREADS LENGTH\n"); return 2; }
    int half = atoi(argv[1]), threads = atoi(argv[2]);
    long length = atol(argv[3]);
    if (half < 0 || half > 1 || threads < 1 || threads > 64 || length < 1 || length > 1 << 20) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    /* Rows per head rounded up to whole blocks of 16, as f16 keys take (seal_half.h). */
    size_t rows = ((size_t)length + 15) / 16 * 16;
    size_t size = half ? 2 : 4, count = (size_t)HEADS * rows * DIM;
    void *keys[LAYERS], *values[LAYERS];
    for (int l = 0; l < LAYERS; l++) {
        keys[l] = aligned_alloc(64, (count * size + 63) / 64 * 64);
        values[l] = aligned_alloc(64, (count * size + 63) / 64 * 64);
        if (!keys[l] || !values[l]) { fprintf(stderr, "out of memory\n"); return 1; }
        for (size_t i = 0; i < count; i++) {
            if (half) {
                ((unsigned short *)keys[l])[i] = (unsigned short)(0x2c00 + i % 0x400); /* 1/16 .. 1/8 */
                ((unsigned short *)values[l])[i] = 0x3800;                           /* 0.5 */
            } else {
                ((float *)keys[l])[i] = 0.01f * (float)(i * 7 % 13);
                ((float *)values[l])[i] = 0.5f;
            }
        }
    }
    float queries[HEADS * GROUP * DIM], output[HEADS * GROUP * DIM];
    for (int i = 0; i < HEADS * GROUP * DIM; i++) queries[i] = 0.01f * (float)(i % 17);
    float *scratch = malloc(seal_attend_decode_scratch(HEADS, GROUP, DIM) * sizeof(float));
    double best = 1e9;
    for (int round = 0; round < 20; round++) {
        double start = now();
        for (int l = 0; l < LAYERS; l++) {
            seal_decode_attention a = {queries, keys[l], values[l], half ? SEAL_CACHE_F16 : SEAL_CACHE_F32,
                                       rows * DIM, HEADS, GROUP, DIM, (size_t)length, 0.125f, output, scratch, NULL};
            seal_attend_decode(&a, threads);
        }
        double t = now() - start;
        if (t < best) best = t;
    }
    double bytes = (double)LAYERS * (double)HEADS * (double)length * DIM * (double)size * 2;
    printf("%s cache, %d threads, %ld positions: %.2f ms per token, %.1f GB/s\n", half ? "f16" : "f32", threads, length,
           best * 1e3, bytes / best / 1e9);
    return 0;
}
