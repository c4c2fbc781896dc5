/*
 * seal-lines: LongEval "lines" retrieval (a task plugin; the task SEAL tunes on).
 *
 * SwiftPM needs a public header directory for every C target; this one documents the
 * plugin's parameters for C hosts and plugin authors.
 *
 *   index_style (string, default "words"; words | numbers | letters | uuid): how lines are named:
 *     adjective-noun pairs ("torpid-kid"), 1..n, A..Z, AA.. , or random UUIDs.
 *   depth_mode (string, default "random"; random | fixed | spread): where the asked line sits:
 *     a random line, the line at `depth` percent of the record, or depths spread evenly over
 *     the data set (sample i of n at i/(n-1) * 100%).
 *   depth (float, default 50, 0...100): the percent used by depth_mode "fixed".
 *
 * Answer: the integer; label "The <REGISTER_CONTENT> in line X is N."; answer prefix
 * "The <REGISTER_CONTENT> in line X is"; fields depth, line, lines, index_style.
 */
#ifndef SEAL_LINES_H
#define SEAL_LINES_H
#define SEAL_LINES_PLUGIN_NAME "lines"
#endif
