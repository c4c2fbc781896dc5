#include "seal_memory.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/*
 * Slabs for weights (see seal_memory.h). Each mapping starts with this header and is aligned
 * to SEAL_WEIGHT_SLAB_BYTES, and every allocation starts inside the first slab-size bytes of
 * its mapping, so clearing an allocation's low bits finds its header, and the header its arena.
 */
typedef struct {
    seal_weight_arena *arena;
    size_t length; /* bytes mapped */
    size_t used;   /* bytes handed out, header included */
    size_t live;   /* allocations not yet freed */
} slab_header;

struct seal_weight_arena {
    pthread_mutex_t lock;
    slab_header *current; /* the slab small allocations come from; NULL when none is open */
    size_t mappings, bytes;
};

#define HEADER_BYTES ((size_t)64)
#define SMALL_PAGE ((size_t)4096)
#define SLAB SEAL_WEIGHT_SLAB_BYTES

_Static_assert(sizeof(slab_header) <= HEADER_BYTES, "the slab header must fit before the first allocation");
_Static_assert((SLAB & (SLAB - 1)) == 0, "slabs must be a power of two to find their header by masking");

static seal_weight_arena process_arena = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0};
static pthread_once_t fork_handler_once = PTHREAD_ONCE_INIT;

/* The forked child has only the forking thread: a lock another thread held stays held. */
static void after_fork_in_child(void) {
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    process_arena.lock = fresh;
}

static void install_fork_handler(void) { pthread_atfork(NULL, NULL, after_fork_in_child); }

/* `length` bytes (a multiple of SMALL_PAGE) at an address aligned to SLAB, marked for huge
 * pages; NULL on failure. Maps SLAB more than asked and returns the unaligned ends. Called
 * with the arena's lock held. */
static slab_header *map_aligned(seal_weight_arena *arena, size_t length) {
    if (length > SIZE_MAX - SLAB) return NULL;
    size_t reserve = length + SLAB;
    void *raw = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return NULL;
    uintptr_t start = (uintptr_t)raw, aligned = (start + SLAB - 1) & ~(uintptr_t)(SLAB - 1);
    if (aligned > start) munmap(raw, aligned - start);
    uintptr_t end = aligned + length, reserved_end = start + reserve;
    if (reserved_end > end) munmap((void *)end, reserved_end - end);
#ifdef MADV_HUGEPAGE
    madvise((void *)aligned, length, MADV_HUGEPAGE); /* advice only: without it, ordinary pages */
#endif
    slab_header *slab = (slab_header *)aligned;
    *slab = (slab_header){arena, length, HEADER_BYTES, 0};
    arena->mappings++;
    arena->bytes += length;
    return slab;
}

void *seal_weight_arena_allocate(seal_weight_arena *arena, size_t bytes) {
    if (bytes == 0) bytes = 1;
    if (bytes > SIZE_MAX / 2) return NULL;
    size_t size = (bytes + 63) & ~(size_t)63;
    pthread_mutex_lock(&arena->lock);
    void *result = NULL;
    if (size > SLAB / 4) {
        slab_header *own = map_aligned(arena, (HEADER_BYTES + size + SMALL_PAGE - 1) & ~(SMALL_PAGE - 1));
        if (own) {
            own->used = own->length;
            own->live = 1;
            result = (char *)own + HEADER_BYTES;
        }
    } else {
        /* A full slab stays mapped until its last allocation is freed (a slab whose
         * allocations are all freed is never current: see seal_weight_memory_free). */
        if (!arena->current || arena->current->length - arena->current->used < size)
            arena->current = map_aligned(arena, SLAB);
        slab_header *slab = arena->current;
        if (slab) {
            result = (char *)slab + slab->used;
            slab->used += size;
            slab->live++;
        }
    }
    pthread_mutex_unlock(&arena->lock);
    return result;
}

void *seal_weight_memory_allocate(size_t bytes) {
    pthread_once(&fork_handler_once, install_fork_handler);
    return seal_weight_arena_allocate(&process_arena, bytes);
}

void seal_weight_memory_free(void *pointer) {
    if (!pointer) return;
    slab_header *slab = (slab_header *)((uintptr_t)pointer & ~(uintptr_t)(SLAB - 1));
    seal_weight_arena *arena = slab->arena;
    pthread_mutex_lock(&arena->lock);
    if (--slab->live == 0) {
        /* The open slab goes too: its freed space would never be handed out again. */
        if (slab == arena->current) arena->current = NULL;
        arena->mappings--;
        arena->bytes -= slab->length;
        munmap(slab, slab->length);
    }
    pthread_mutex_unlock(&arena->lock);
}

seal_weight_arena *seal_weight_arena_create(void) {
    seal_weight_arena *arena = calloc(1, sizeof *arena);
    if (arena && pthread_mutex_init(&arena->lock, NULL) != 0) {
        free(arena);
        return NULL;
    }
    return arena;
}

int seal_weight_arena_destroy(seal_weight_arena *arena) {
    if (!arena) return 0;
    pthread_mutex_lock(&arena->lock);
    int live = arena->mappings != 0;
    pthread_mutex_unlock(&arena->lock);
    if (live) return -1;
    pthread_mutex_destroy(&arena->lock);
    free(arena);
    return 0;
}

void seal_weight_memory_usage(const seal_weight_arena *arena, size_t *mappings, size_t *bytes) {
    seal_weight_arena *a = arena ? (seal_weight_arena *)arena : &process_arena;
    pthread_mutex_lock(&a->lock);
    if (mappings) *mappings = a->mappings;
    if (bytes) *bytes = a->bytes;
    pthread_mutex_unlock(&a->lock);
}
