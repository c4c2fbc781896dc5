#include "seal_kernels.h"
#include "seal_pool.h"

typedef struct {
    const seal_matvec_segment *segments;
    size_t count, columns, rows, chunk;
    const float *x;
} group_t;

static void segment_rows(const seal_matvec_segment *s, size_t columns, const float *x, size_t first, size_t last) {
    switch (s->kind) {
    case SEAL_WEIGHTS_BF16:
        seal_matvec_bf16(s->values, columns, x, s->y, first, last);
        break;
    case SEAL_WEIGHTS_Q8_0:
        seal_matvec_q8_0(s->values, s->scales, columns, x, s->y, first, last);
        break;
    default:
        seal_matvec_f32(s->values, columns, x, s->y, first, last);
    }
}

static void group_part(void *context, int part, int parts) {
    const group_t *g = context;
    (void)parts;
    size_t low = (size_t)part * g->chunk;
    size_t high = low + g->chunk < g->rows ? low + g->chunk : g->rows;
    size_t offset = 0;
    for (size_t i = 0; i < g->count && offset < high; i++) {
        const seal_matvec_segment *s = &g->segments[i];
        size_t first = low > offset ? low - offset : 0;
        size_t last = high - offset < s->rows ? high - offset : s->rows;
        if (first < last) segment_rows(s, g->columns, g->x, first, last);
        offset += s->rows;
    }
}

static size_t bytes_per_row(int kind, size_t columns) {
    switch (kind) {
    case SEAL_WEIGHTS_BF16: return columns * 2;
    case SEAL_WEIGHTS_Q8_0: return columns + columns / 32 * 4;
    default: return columns * 4;
    }
}

void seal_matvec_group_split(const seal_matvec_segment *segments, size_t count, size_t columns, const float *x,
                             int threads, size_t min_part_bytes) {
    group_t g = {segments, count, columns, 0, 0, x};
    size_t bytes = 0;
    for (size_t i = 0; i < count; i++) {
        g.rows += segments[i].rows;
        bytes += segments[i].rows * bytes_per_row(segments[i].kind, columns);
    }
    if (g.rows == 0) return;
    /* About four chunks per thread, so a thread the scheduler runs late leaves its share to the
     * others, but none under min_part_bytes of weights; a multiple of 16 rows each. */
    size_t chunks = threads > 1 ? (size_t)threads * 4 : 1;
    if (min_part_bytes && bytes / min_part_bytes < chunks) chunks = bytes / min_part_bytes;
    if (chunks < 1) chunks = 1;
    size_t chunk = (g.rows + chunks - 1) / chunks;
    chunk = (chunk + 15) / 16 * 16;
    g.chunk = chunk;
    size_t parts = (g.rows + chunk - 1) / chunk;
    if (parts == 1 || threads <= 1) {
        for (size_t p = 0; p < parts; p++) group_part(&g, (int)p, (int)parts);
        return;
    }
    seal_pool_run(group_part, &g, (int)parts, threads);
}

void seal_matvec_group(const seal_matvec_segment *segments, size_t count, size_t columns, const float *x,
                       int threads) {
    seal_matvec_group_split(segments, count, columns, x, threads, SEAL_MATVEC_MIN_PART_BYTES);
}
