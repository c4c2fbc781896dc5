#include "seal_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#define SEAL_RELAX() _mm_pause()
#define SEAL_NOW() __rdtsc()
/* About 40 µs at 2.5 GHz: longer than the gap between two products of one decode step, far
 * shorter than the gap between two tokens of an idle session. */
#define SEAL_SPIN 100000ull
#else
#define SEAL_RELAX() ((void)0)
static _Thread_local uint64_t seal_counter;
#define SEAL_NOW() (++seal_counter)
#define SEAL_SPIN 20000ull
#endif

/*
 * A persistent pool of worker threads for the decode step's matrix-vector products.
 *
 * A job is a number of parts (chunks of rows) that the calling thread and the workers claim
 * one at a time from a shared counter. Claiming rather than assigning parts matters on a
 * machine whose cores are shared: a worker that the scheduler has not run yet claims nothing,
 * and the caller does its share; the caller waits only for parts a worker has started.
 *
 * `claim` holds the job's generation (upper 32 bits) and the next unclaimed part (lower 32):
 * a worker claims with a compare-and-swap that fails if the job it read is no longer current,
 * so a worker waking late never touches a newer job with an older one's task. The caller
 * closes the claim under the new generation (next part = CLOSED) before it writes the job's
 * task, context and part count, and opens it after: a worker that read any of those from a
 * newer job than the one it woke for then finds the claim's generation changed and claims
 * nothing. (Without the closing step a worker descheduled between reading the generation and
 * claiming could pair the old generation with the new job's part count and run a part twice,
 * or leave `finished` past the part count, where the caller waited for ever.) Workers spin on
 * the generation for a few tens of microseconds, then sleep on it (a futex); the caller spins
 * on the count of finished parts, then sleeps on it. Nothing is allocated per call.
 *
 * One caller at a time: a second concurrent caller (another session) runs its parts on its
 * own thread rather than wait.
 */

static _Alignas(64) _Atomic uint64_t claim;
static _Alignas(64) _Atomic uint32_t generation;
static _Atomic uint32_t sleepers;
static _Alignas(64) _Atomic uint32_t finished;
static _Atomic uint32_t caller_sleeping;
static _Atomic(seal_pool_task) job_task;
static _Atomic(void *) job_context;
static _Atomic int job_parts;
static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(seal_pool_hook) test_hook;
#define CLOSED UINT32_MAX
static int started; /* workers running; changed only under job_lock */
static int fork_handler_installed;

static void wait_on(_Atomic uint32_t *word, uint32_t value) {
#if defined(__linux__)
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
#else
    (void)word;
    (void)value;
    sched_yield();
#endif
}

static void wake(_Atomic uint32_t *word, int count) {
#if defined(__linux__)
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
#else
    (void)word;
    (void)count;
#endif
}

/* Claims and runs parts of job `job` until none is left; returns how many this thread ran. */
static void run_parts(uint32_t job, seal_pool_task task, void *context, int parts, int is_worker) {
    uint64_t current = atomic_load(&claim);
    for (;;) {
        if ((uint32_t)(current >> 32) != job || (uint32_t)current >= (uint32_t)parts) return;
        if (!atomic_compare_exchange_weak(&claim, &current, current + 1)) continue;
        task(context, (int)(uint32_t)current, parts);
        uint32_t done = atomic_fetch_add(&finished, 1) + 1;
        if (is_worker && done == (uint32_t)parts && atomic_load(&caller_sleeping)) wake(&finished, 1);
        current = atomic_load(&claim);
    }
}

static void *worker(void *argument) {
    uint32_t seen = (uint32_t)(uintptr_t)argument;
    for (;;) {
        uint32_t job;
        uint64_t since = SEAL_NOW();
        while ((job = atomic_load_explicit(&generation, memory_order_acquire)) == seen) {
            if (SEAL_NOW() - since < SEAL_SPIN) {
                SEAL_RELAX();
                continue;
            }
            atomic_fetch_add(&sleepers, 1);
            if (atomic_load(&generation) == seen) wait_on(&generation, seen);
            atomic_fetch_sub(&sleepers, 1);
            since = SEAL_NOW();
        }
        seen = job;
        seal_pool_hook hook = atomic_load_explicit(&test_hook, memory_order_relaxed);
        if (hook) hook(SEAL_POOL_HOOK_WORKER_SAW_JOB);
        run_parts(job, atomic_load(&job_task), atomic_load(&job_context), atomic_load(&job_parts), 1);
    }
    return NULL;
}

/* The forked child has only the forking thread: forget the workers (they start again on demand). */
static void after_fork_in_child(void) {
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    job_lock = fresh;
    started = 0;
    atomic_store(&sleepers, 0);
    atomic_store(&caller_sleeping, 0);
}

/* Starts workers until `wanted` run (or creation fails); called under job_lock. */
static void start_workers(int wanted) {
    if (!fork_handler_installed) {
        pthread_atfork(NULL, NULL, after_fork_in_child);
        fork_handler_installed = 1;
    }
    while (started < wanted) {
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setstacksize(&attributes, 256 << 10);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        pthread_t thread;
        int failed = pthread_create(&thread, &attributes, worker, (void *)(uintptr_t)atomic_load(&generation));
        pthread_attr_destroy(&attributes);
        if (failed) return;
        started++;
    }
}

void seal_pool_run(seal_pool_task task, void *context, int parts, int threads) {
    if (parts < 1) return;
    if (threads > SEAL_POOL_MAX_THREADS) threads = SEAL_POOL_MAX_THREADS;
    if (parts == 1 || threads <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
        for (int p = 0; p < parts; p++) task(context, p, parts);
        return;
    }
    start_workers(threads - 1);
    uint32_t job = atomic_load(&generation) + 1;
    atomic_store(&claim, ((uint64_t)job << 32) | CLOSED);
    atomic_store(&job_task, task);
    atomic_store(&job_context, context);
    atomic_store(&job_parts, parts);
    atomic_store(&finished, 0);
    seal_pool_hook hook = atomic_load_explicit(&test_hook, memory_order_relaxed);
    if (hook) hook(SEAL_POOL_HOOK_CALLER_WROTE_JOB);
    atomic_store(&claim, (uint64_t)job << 32);
    atomic_store(&generation, job);
    if (atomic_load(&sleepers)) wake(&generation, threads - 1);
    run_parts(job, task, context, parts, 0);
    uint64_t since = SEAL_NOW();
    uint32_t done;
    while ((done = atomic_load_explicit(&finished, memory_order_acquire)) != (uint32_t)parts) {
        if (SEAL_NOW() - since < SEAL_SPIN) {
            SEAL_RELAX();
            continue;
        }
        atomic_store(&caller_sleeping, 1);
        done = atomic_load(&finished);
        if (done != (uint32_t)parts) wait_on(&finished, done);
        atomic_store(&caller_sleeping, 0);
    }
    pthread_mutex_unlock(&job_lock);
}

int seal_pool_workers(void) { return started; }

void seal_pool_set_test_hook(seal_pool_hook hook) { atomic_store(&test_hook, hook); }
