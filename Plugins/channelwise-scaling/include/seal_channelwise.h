/*
 * seal-channelwise: SEAL-C, one learned multiplier per channel of every query head's
 * attention output (a scaling-strategy plugin).
 *
 * SwiftPM needs a public header directory for every C target; this one only
 * documents the plugin's parameters for C hosts and plugin authors.
 *
 *   init (float, default 1.0): the initial value of every multiplier.
 *   l2 (float, default 0): weight of an L2 penalty pulling multipliers toward 1.0.
 */
#ifndef SEAL_CHANNELWISE_H
#define SEAL_CHANNELWISE_H
#define SEAL_CHANNELWISE_PLUGIN_NAME "channelwise"
#endif
