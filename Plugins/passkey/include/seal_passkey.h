/*
 * seal-passkey: the pass-key retrieval task (a task plugin).
 *
 * SwiftPM needs a public header directory for every C target; this one only
 * documents the plugin's parameters for C hosts and plugin authors.
 *
 *   digits (int, default 5, 1...9): digits of the pass key.
 *   depth (float, default -1 = random per sample, else 0...1): where the key sits
 *   in the filler, as a fraction of it.
 */
#ifndef SEAL_PASSKEY_H
#define SEAL_PASSKEY_H
#define SEAL_PASSKEY_PLUGIN_NAME "passkey"
#endif
