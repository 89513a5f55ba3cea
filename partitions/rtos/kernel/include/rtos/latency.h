/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Timer-interrupt latency statistics: a window (min/avg/max, histogram) and all-time totals. */
#ifndef RTOS_LATENCY_H
#define RTOS_LATENCY_H

#include <stddef.h>
#include <stdint.h>

/* Upper bounds of the histogram buckets in microseconds; a last bucket takes the rest. */
#define LAT_BOUNDS  7
#define LAT_BUCKETS (LAT_BOUNDS + 1)
extern const uint32_t lat_bound_us[LAT_BOUNDS];

struct lat_window {
	uint64_t n;
	uint64_t sum_ns;
	uint64_t min_ns;
	uint64_t max_ns;
	uint64_t hist[LAT_BUCKETS];
	uint64_t early;	 /* samples whose interrupt came before the deadline (counted as 0 ns) */
	uint64_t missed; /* releases skipped because the task overran its period */
};

struct lat_totals {
	uint64_t max_ns; /* all-time maximum */
	uint64_t samples;
	uint64_t heartbeat; /* runs of the work task so far */
};

void lat_window_reset(struct lat_window *w);
void lat_add(struct lat_window *w, uint64_t ns);
/* Average in ns, 0 for an empty window. */
uint64_t lat_avg(const struct lat_window *w);
/*
 * Formats the report line (with a trailing newline), e.g.
 * "rtos rt1: latency ns min 812 avg 1034 max 5120 n 1000 | hist <1us:870 ...
 * >=100us:0 | early 0 missed 0 maxever 5120 hb 100". Returns its length.
 */
int lat_format(char *buf, size_t size, const char *name, const struct lat_window *w,
	       const struct lat_totals *t);

#endif
