/*
 * seal-self-extend: a context-extension plugin. SwiftPM needs a public header directory for every
 * C target; this one only names the plugin. Parameters are documented in plugin.c and listed
 * by `sealctl plugins`.
 */
#ifndef SEAL_SELF_EXTEND_H
#define SEAL_SELF_EXTEND_H
#define SEAL_SELF_EXTEND_PLUGIN_NAME "self-extend"
#endif
