/*
 * seal-yarn: a context-extension plugin. SwiftPM needs a public header directory for every
 * C target; this one only names the plugin. Parameters are documented in plugin.c and listed
 * by `sealctl plugins`.
 */
#ifndef SEAL_YARN_H
#define SEAL_YARN_H
#define SEAL_YARN_PLUGIN_NAME "yarn"
#endif
