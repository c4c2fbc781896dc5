/*
 * seal-linear: linear position interpolation (a context-extension plugin).
 *
 * SwiftPM needs a public header directory for every C target; this one only
 * documents the plugin's parameters for C hosts and plugin authors.
 *
 *   factor (float, default 0 = auto): positions are divided by `factor`
 *   (equivalently every inverse frequency); auto picks max(1, requested / trained).
 */
#ifndef SEAL_LINEAR_H
#define SEAL_LINEAR_H
#define SEAL_LINEAR_PLUGIN_NAME "linear"
#endif
