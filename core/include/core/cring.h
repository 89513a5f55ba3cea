/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A partition's console ring (docs/partitions-x86.md, "Consoles"): whole
 * lines, each with the CPU that wrote it, waiting for a CPU that may wait
 * for the UART; a token bucket limits the bytes a partition gets per
 * second. A partition over its rate or out of room loses its own lines,
 * counted; the next line it gets through is preceded by the count. Pure:
 * time is passed in; the caller holds the partition's console lock.
 */
#ifndef CORE_CRING_H
#define CORE_CRING_H

#include "core/types.h"

#define CRING_LINE_MAX 320 /* bytes of one line's text (PART_CONSOLE_LINE) */

struct cring {
	char *buf;
	uint32_t size;	     /* bytes, a power of two */
	uint32_t head, tail; /* free-running: written, read */
	uint64_t rate;	     /* bytes per second; 0: no limit */
	uint64_t burst;	     /* the bucket's depth in bytes */
	uint64_t tokens;     /* bytes it may write now */
	uint64_t last;	     /* time of the last refill (cycles) */
	uint32_t dropped;    /* lines lost since the last one that got through */
	uint64_t dropped_total;
};

/* An empty ring over buf (size a power of two, at least 1 KiB); rate 0: unlimited. */
void cring_init(struct cring *r, char *buf, uint32_t size, uint64_t rate, uint64_t burst,
		uint64_t now);

/*
 * Appends one line (len bytes, no newline) written on cpu at time now
 * (cycles; khz: cycles per millisecond). False when it was dropped (over
 * the rate, or no room).
 */
bool cring_put(struct cring *r, const char *line, uint32_t len, uint32_t cpu, uint64_t now,
	       uint64_t khz);

/* Takes the oldest line: its length (-1: empty), text in out (max bytes), its CPU. */
int cring_get(struct cring *r, char *out, uint32_t max, uint32_t *cpu);

/* Bytes queued */
static inline uint32_t cring_used(const struct cring *r)
{
	return r->head - r->tail;
}

#endif
