#include "seal_kernels.h"
#include "seal_pool.h"

/* Most chunks one product is cut into. */
#define MAX_CHUNKS 96

typedef struct {
    const seal_matvec_segment *segments;
    size_t count, columns, rows;
    const float *x;
    size_t bounds[MAX_CHUNKS + 1]; /* chunk p is rows [bounds[p], bounds[p + 1]) */
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
    size_t low = g->bounds[part], high = g->bounds[part + 1];
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

/* Chunks that shrink as the work runs out (guided scheduling): each takes 1/(2 threads) of the
 * rows still unassigned, so the first are large (few claims) and the last small, and the
 * threads finish together instead of one waiting out another's last large chunk; none is
 * under `min_rows` (a multiple of 16), except the remainder. Returns the number of chunks. */
static size_t guided_bounds(size_t rows, size_t threads, size_t min_rows, size_t *bounds) {
    size_t parts = 0, start = 0;
    bounds[0] = 0;
    while (start < rows) {
        size_t left = rows - start;
        size_t size = (left + 2 * threads - 1) / (2 * threads);
        size = (size + 15) / 16 * 16;
        if (size < min_rows) size = min_rows;
        if (parts + 1 == MAX_CHUNKS || size > left) size = left;
        start += size;
        bounds[++parts] = start;
    }
    return parts;
}

void seal_matvec_group_split(const seal_matvec_segment *segments, size_t count, size_t columns, const float *x,
                             int threads, size_t min_part_bytes) {
    group_t g = {segments, count, columns, 0, x, {0}};
    size_t bytes = 0;
    for (size_t i = 0; i < count; i++) {
        g.rows += segments[i].rows;
        bytes += segments[i].rows * bytes_per_row(segments[i].kind, columns);
    }
    if (g.rows == 0) return;
    if (threads <= 1) {
        g.bounds[1] = g.rows;
        group_part(&g, 0, 1);
        return;
    }
    size_t row_bytes = bytes / g.rows, min_rows = 16;
    if (min_part_bytes && row_bytes) min_rows = (min_part_bytes / row_bytes + 15) / 16 * 16;
    if (min_rows < 16) min_rows = 16;
    size_t parts = guided_bounds(g.rows, (size_t)threads, min_rows, g.bounds);
    if (parts == 1) {
        group_part(&g, 0, 1);
        return;
    }
    seal_pool_run(group_part, &g, (int)parts, threads);
}

void seal_matvec_group(const seal_matvec_segment *segments, size_t count, size_t columns, const float *x,
                       int threads) {
    seal_matvec_group_split(segments, count, columns, x, threads, SEAL_MATVEC_MIN_PART_BYTES);
}
