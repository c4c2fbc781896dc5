#ifndef SEAL_MEMORY_H
#define SEAL_MEMORY_H

#include <stddef.h>

/*
 * Memory for model weights, backed by transparent huge pages where the kernel allows them.
 *
 * A decode step streams every weight once (hundreds of megabytes per token). In 4 KiB pages
 * that is one TLB miss and one page walk per 4 KiB, and the hardware prefetchers stop at each
 * page boundary; in 2 MiB pages both nearly vanish (measured, the decode products alone against
 * the same bytes from malloc: 2-41% faster on one thread; on two, -5% to +22%, usually faster;
 * see docs/performance.md, "Weights in huge pages").
 * Kernels configured with transparent_hugepage=madvise give huge pages only to regions
 * marked with madvise(MADV_HUGEPAGE), and only to 2 MiB-aligned parts of them, so weights
 * cannot simply come from malloc.
 *
 * Weights are carved, in the order they are allocated, out of slabs of SEAL_WEIGHT_SLAB_BYTES
 * aligned to their own size and marked for huge pages: a model's matrices lie back to back,
 * and small ones (a 576 x 192 projection is 442 KiB) share huge pages instead of each
 * rounding up to its own. An allocation larger than a quarter of a slab gets a mapping of its
 * own, aligned the same way. Space is never reused within a slab: a slab is returned to the
 * kernel when every allocation in it has been freed (weights live and die with their model,
 * so a model's slabs go with it). Do not use this for short-lived buffers.
 *
 * Thread-safe. Memory is zero-filled and 64-byte aligned. Where huge pages are not available
 * (another kernel setting, another OS) the memory is ordinary pages; nothing else changes.
 */

#define SEAL_WEIGHT_SLAB_BYTES ((size_t)32 << 20)

/* A set of slabs: the process has one (used by the functions without `arena`); tests make
 * their own so that their counts are not disturbed by other threads loading models. */
typedef struct seal_weight_arena seal_weight_arena;

/* `bytes` (0 counts as 1) of zeroed, 64-byte aligned memory from the process's arena; NULL
 * when the address space or memory is exhausted (the caller reports it). */
void *seal_weight_memory_allocate(size_t bytes);

/* Frees memory from either allocate function (NULL is ignored); it knows its arena. */
void seal_weight_memory_free(void *pointer);

/* A new, empty arena (NULL if out of memory), its allocations, and its disposal (only once
 * every allocation from it has been freed; returns 0, or -1 and disposes nothing if any is
 * still live). */
seal_weight_arena *seal_weight_arena_create(void);
void *seal_weight_arena_allocate(seal_weight_arena *arena, size_t bytes);
int seal_weight_arena_destroy(seal_weight_arena *arena);

/* Mappings an arena holds now and their bytes (NULL: the process's), for tests and diagnostics. */
void seal_weight_memory_usage(const seal_weight_arena *arena, size_t *mappings, size_t *bytes);

#endif
