/*
 * OpenBLAS sgemv on the decode shapes of SmolLM2-135M (576-wide model), with 1 and 2 threads,
 * in one process: how much of a small matrix-vector product goes to thread start-up and
 * synchronisation. Each shape is repeated over enough distinct matrices (64 MB in all) that
 * the weights come from memory, as in decode, not from cache.
 *
 *   cc -O2 Tools/bench/sgemv_threads.c -o /tmp/sgemv_threads $(pkg-config --cflags --libs openblas) && /tmp/sgemv_threads
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void openblas_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    const int shapes[][2] = {{576, 576}, {192, 576}, {1536, 576}, {576, 1536}, {49152, 576}};
    const size_t budget = 64u << 20;
    float *x = malloc(49152 * sizeof(float)), *y = malloc(49152 * sizeof(float));
    for (int i = 0; i < 49152; i++) x[i] = (float)(i % 13) * 0.01f;
    printf("rows x cols      1 thread us   GB/s    2 threads us   GB/s   2t/1t time\n");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int m = shapes[s][0], n = shapes[s][1];
        size_t bytes = (size_t)m * n * sizeof(float);
        size_t copies = budget / bytes < 1 ? 1 : budget / bytes;
        float *a = malloc(copies * bytes);
        for (size_t i = 0; i < copies * (size_t)m * n; i++) a[i] = (float)(i % 7) * 0.001f;
        double best[2];
        for (int threads = 1; threads <= 2; threads++) {
            openblas_set_num_threads(threads);
            best[threads - 1] = 1e9;
            for (int round = 0; round < 5; round++) {
                int calls = 0;
                double start = now();
                while (now() - start < 0.2) {
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1, a + (calls % copies) * (size_t)m * n, n, x, 1, 0, y, 1);
                    calls++;
                }
                double per = (now() - start) / calls;
                if (per < best[threads - 1]) best[threads - 1] = per;
            }
        }
        printf("%5d x %-5d   %10.1f %7.1f   %12.1f %7.1f   %6.2f\n", m, n, best[0] * 1e6, bytes / best[0] / 1e9,
               best[1] * 1e6, bytes / best[1] / 1e9, best[1] / best[0]);
        free(a);
    }
    return 0;
}
