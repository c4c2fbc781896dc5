/*
 * Decode-step matrix-vector products of SmolLM2-135M's shapes (30 layers: q/k/v, o, gate/up,
 * down, then the 49,152-row head), through the same grouped calls the model makes, timed per
 * token and compared with a plain read of the same bytes (seal_read_bytes) in the same run.
 *
 *   matvec_bench STORAGE THREADS [heap]    STORAGE: 0 f32, 1 bf16, 2 q8_0
 *
 * Weights are held as the model holds them (seal_weight_memory_allocate: huge-page slabs);
 * with `heap`, in ordinary malloc memory instead, to measure what the huge pages give.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "seal_kernels.h"
#include "seal_memory.h"
#include "seal_pool.h"

enum { LAYERS = 30, D = 576, KV = 192, FF = 1536, VOCAB = 49152, GROUPS = LAYERS * 4 + 1 };

typedef struct {
    seal_matvec_segment segments[3];
    size_t count, columns;
} group;

typedef struct {
    const void *start;
    size_t bytes;
} range;

static range ranges[GROUPS * 3 * 2];
static size_t range_count, total_bytes;
static float x[FF], outputs[8][VOCAB];
static int from_heap;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* `count` values of `size` bytes, each a normal number in the storage (fp32 and bf16 values
 * between 0.002 and 0.2, int8 quants between -60 and 60): no denormal can slow the kernels. */
static void *filled(size_t count, size_t size) {
    size_t bytes = count * size;
    void *p = from_heap ? aligned_alloc(64, (bytes + 63) / 64 * 64) : seal_weight_memory_allocate(bytes);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(1); }
    for (size_t i = 0; i < count; i++) {
        float value = 0.002f * (float)(1 + i * 7 % 97);
        if (size == 4) {
            ((float *)p)[i] = value;
        } else if (size == 2) {
            uint32_t bits;
            memcpy(&bits, &value, sizeof bits);
            ((uint16_t *)p)[i] = (uint16_t)(bits >> 16);
        } else {
            ((int8_t *)p)[i] = (int8_t)((int)(i * 7 % 121) - 60);
        }
    }
    ranges[range_count++] = (range){p, bytes};
    total_bytes += bytes;
    return p;
}

static seal_matvec_segment matrix(int kind, size_t rows, size_t columns, float *y) {
    size_t size = kind == SEAL_WEIGHTS_F32 ? 4 : kind == SEAL_WEIGHTS_BF16 ? 2 : 1;
    seal_matvec_segment s = {kind, filled(rows * columns, size), NULL, rows, y};
    if (kind == SEAL_WEIGHTS_Q8_0) s.scales = filled(rows * columns / 32, 4);
    return s;
}

typedef struct {
    int part, parts;
} read_part;

static void *read_share(void *argument) {
    const read_part *p = argument;
    volatile uint64_t sink = 0;
    for (size_t i = 0; i < range_count; i++) {
        size_t low = ranges[i].bytes * (size_t)p->part / (size_t)p->parts;
        size_t high = ranges[i].bytes * (size_t)(p->part + 1) / (size_t)p->parts;
        sink ^= seal_read_bytes((const unsigned char *)ranges[i].start + low, high - low);
    }
    (void)sink;
    return NULL;
}

static double read_seconds(int threads) {
    pthread_t workers[64];
    read_part parts[64];
    double start = now();
    for (int t = 0; t < threads; t++) {
        parts[t] = (read_part){t, threads};
        pthread_create(&workers[t], NULL, read_share, &parts[t]);
    }
    for (int t = 0; t < threads; t++) pthread_join(workers[t], NULL);
    return now() - start;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "heap") != 0)) {
        fprintf(stderr, "usage: matvec_bench STORAGE(0 f32, 1 bf16, 2 q8_0) THREADS [heap]\n");
        return 2;
    }
    int kind = atoi(argv[1]), threads = atoi(argv[2]);
    from_heap = argc == 4;
    if (kind < 0 || kind > 2 || threads < 1 || threads > 64) { fprintf(stderr, "bad arguments\n"); return 2; }
    static group groups[GROUPS];
    size_t n = 0;
    for (int l = 0; l < LAYERS; l++) {
        groups[n++] = (group){{matrix(kind, D, D, outputs[0]), matrix(kind, KV, D, outputs[1]), matrix(kind, KV, D, outputs[2])}, 3, D};
        groups[n++] = (group){{matrix(kind, D, D, outputs[3])}, 1, D};
        groups[n++] = (group){{matrix(kind, FF, D, outputs[4]), matrix(kind, FF, D, outputs[5])}, 2, D};
        groups[n++] = (group){{matrix(kind, D, FF, outputs[6])}, 1, FF};
    }
    groups[n++] = (group){{matrix(kind, VOCAB, D, outputs[7])}, 1, D};
    for (int i = 0; i < FF; i++) x[i] = 0.001f * (float)(i % 97);
    double token = 1e9, read = 1e9;
    for (int round = 0; round < 30; round++) {
        double start = now();
        for (size_t g = 0; g < n; g++) seal_matvec_group(groups[g].segments, groups[g].count, groups[g].columns, x, threads);
        double t = now() - start;
        if (t < token) token = t;
        if (round % 6 == 0) {
            double r = read_seconds(threads);
            if (r < read) read = r;
        }
    }
    printf("%s, storage %d, %d threads, %zu MB: %.2f ms per token (%.1f tok/s), %.1f GB/s; plain read %.1f GB/s; %.1f%%\n",
           from_heap ? "heap" : "huge-page slabs", kind, threads, total_bytes >> 20, token * 1e3, 1 / token, (double)total_bytes / token / 1e9,
           (double)total_bytes / read / 1e9, 100 * read / token);
    return 0;
}
