/*
 * seal-ntk: a context-extension plugin. SwiftPM needs a public header directory for every
 * C target; this one only names the plugin. Parameters are documented in plugin.c and listed
 * by `sealctl plugins`.
 */
#ifndef SEAL_NTK_H
#define SEAL_NTK_H
#define SEAL_NTK_PLUGIN_NAME "ntk"
#endif
