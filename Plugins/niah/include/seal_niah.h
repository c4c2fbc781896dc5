/*
 * seal-niah: needle in a haystack (a task plugin).
 *
 *   depth_mode (string, default "random"; random | fixed | spread), depth (float, 0...100):
 *     where the needle sentence sits in the haystack (moved to a sentence boundary).
 *   needle (int, default -1, -1...9): which needle; -1 = rotate through them by sample.
 *   pass_recall (float, default 0.5, > 0 and <= 1): ROUGE-1 recall that counts as correct.
 *
 * Prompt: "<book>{haystack with needle}</book>\nBased on the content of the book, Question:
 * {question}\nAnswer:". Score: ROUGE-1 recall of the needle's answer words in the output.
 * Training samples (purpose training) use another set of needles than evaluation samples.
 * Haystack: essays written for seal, Apache-2.0 (see Plugins/niah/haystack.h).
 */
#ifndef SEAL_NIAH_H
#define SEAL_NIAH_H
#define SEAL_NIAH_PLUGIN_NAME "niah"
#endif
