/*
 * seal-llama3: a context-extension plugin. SwiftPM needs a public header directory for every
 * C target; this one only names the plugin. Parameters are documented in plugin.c and listed
 * by `sealctl plugins`.
 */
#ifndef SEAL_LLAMA3_H
#define SEAL_LLAMA3_H
#define SEAL_LLAMA3_PLUGIN_NAME "llama3"
#endif
