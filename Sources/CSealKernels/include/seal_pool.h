#ifndef SEAL_POOL_H
#define SEAL_POOL_H

#include <stddef.h>
#include <stdint.h>

/*
 * The decode step's threads: a small persistent pool of workers and the matrix-vector
 * products split over it.
 *
 * A decode step runs about four products per layer, each a few tens of microseconds of
 * memory traffic, so a dispatch must cost well under a microsecond: workers spin briefly
 * on their own cache line before sleeping, and nothing is allocated per call. How many
 * threads a call uses is the caller's argument (the process's one thread setting).
 */

#define SEAL_POOL_MAX_THREADS 64

/* One part of a split task: part `part` of `parts`. */
typedef void (*seal_pool_task)(void *context, int part, int parts);

/* Runs task(context, p, parts) for every p in [0, parts) and returns when all have, on the
 * calling thread and up to `threads - 1` workers (started on first use), each claiming parts
 * one at a time. Parts must be independent. When another thread is using the pool, every part
 * runs on the calling thread. */
void seal_pool_run(seal_pool_task task, void *context, int parts, int threads);

/* Workers started so far (for tests and diagnostics). */
int seal_pool_workers(void);

/* Tests only: a function the pool calls at the two points where the scheduler preempting a
 * thread is most dangerous, so that a hook that yields or sleeps makes those interleavings
 * common: a worker that has just seen a new job and not yet read its task, context and part
 * count; and the caller between writing a job's description and opening it to claims. NULL
 * (the default) calls nothing. */
enum { SEAL_POOL_HOOK_WORKER_SAW_JOB = 0, SEAL_POOL_HOOK_CALLER_WROTE_JOB = 1 };
typedef void (*seal_pool_hook)(int where);
void seal_pool_set_test_hook(seal_pool_hook hook);

/* How a segment's weights are held. */
enum { SEAL_WEIGHTS_F32 = 0, SEAL_WEIGHTS_BF16 = 1, SEAL_WEIGHTS_Q8_0 = 2 };

/* One row-major matrix of a group and where its product goes. */
typedef struct {
    int kind;             /* SEAL_WEIGHTS_* */
    const void *values;   /* float, uint16_t (bf16) or int8_t (Q8_0 quants), rows * columns */
    const float *scales;  /* Q8_0 only: rows * columns / 32 */
    size_t rows;
    float *y;             /* rows outputs */
} seal_matvec_segment;

/* y_i = W_i · x for every segment (all `columns` wide), as one task over the rows of the
 * segments stacked, in chunks claimed by up to `threads` threads. The chunks shrink as the
 * rows run out (each 1/(2 threads) of the rows left, a multiple of 16, none under the minimum
 * below), so the threads finish together. Each row is computed the same way
 * whatever the split, so the results do not depend on `threads`. */
void seal_matvec_group(const seal_matvec_segment *segments, size_t count, size_t columns, const float *x,
                       int threads);

/* The same with the least bytes of weights per chunk given (seal_matvec_group uses
 * SEAL_MATVEC_MIN_PART_BYTES), for benchmarks. */
#define SEAL_MATVEC_MIN_PART_BYTES (64 << 10)
void seal_matvec_group_split(const seal_matvec_segment *segments, size_t count, size_t columns, const float *x,
                             int threads, size_t min_part_bytes);

#endif
