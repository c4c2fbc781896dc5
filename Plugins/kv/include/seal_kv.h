/*
 * seal-kv: key-value retrieval (a task plugin).
 *
 *   depth_mode (string, default "random"; random | fixed | spread), depth (float, 0...100):
 *     where the asked pair sits among the pairs, as for `lines`.
 *
 * The prompt holds a JSON object of random UUID keys and UUID values; the model is asked for
 * the value of one key. Scored by the first UUID of the output (exact, case-insensitive).
 * Fields: depth, pairs.
 */
#ifndef SEAL_KV_H
#define SEAL_KV_H
#define SEAL_KV_PLUGIN_NAME "kv"
#endif
