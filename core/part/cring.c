// SPDX-License-Identifier: GPL-2.0-only
/* A partition's console ring and its rate limit (core/cring.h). */
#include "core/cring.h"
#include "core/lib.h"

#define ENTRY_HDR 4 /* length (2 bytes), CPU (2 bytes) */

void cring_init(struct cring *r, char *buf, uint32_t size, uint64_t rate, uint64_t burst,
		uint64_t now)
{
	*r = (struct cring){ .buf = buf, .size = size, .rate = rate, .burst = burst };
	r->tokens = burst;
	r->last = now;
}

static void put_bytes(struct cring *r, const void *src, uint32_t n)
{
	const char *s = src;

	for (uint32_t i = 0; i < n; i++)
		r->buf[(r->head + i) & (r->size - 1)] = s[i];
	r->head += n;
}

static void get_bytes(struct cring *r, void *dst, uint32_t n)
{
	char *d = dst;

	for (uint32_t i = 0; i < n; i++)
		d[i] = r->buf[(r->tail + i) & (r->size - 1)];
	r->tail += n;
}

static void refill(struct cring *r, uint64_t now, uint64_t khz)
{
	uint64_t per_ms = khz ? khz : 1, elapsed = now > r->last ? now - r->last : 0;
	uint64_t full_ms = r->rate ? (r->burst * 1000 + r->rate - 1) / r->rate : 0;

	r->last = now;
	/* whole milliseconds count; a long silence fills the bucket */
	if (elapsed / per_ms >= full_ms) {
		r->tokens = r->burst;
		return;
	}
	r->tokens = MIN(r->burst, r->tokens + elapsed * r->rate / (per_ms * 1000));
}

static bool room(const struct cring *r, uint32_t n)
{
	return r->size - cring_used(r) >= n;
}

static void put_entry(struct cring *r, const char *text, uint32_t len, uint32_t cpu)
{
	uint8_t hdr[ENTRY_HDR] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)cpu,
				   (uint8_t)(cpu >> 8) };

	put_bytes(r, hdr, ENTRY_HDR);
	put_bytes(r, text, len);
}

bool cring_put(struct cring *r, const char *line, uint32_t len, uint32_t cpu, uint64_t now,
	       uint64_t khz)
{
	char note[64];
	uint32_t note_len = 0;

	if (!r->buf)
		return false;
	if (len > CRING_LINE_MAX)
		len = CRING_LINE_MAX;
	if (r->rate)
		refill(r, now, khz);
	if (r->dropped)
		note_len = (uint32_t)snprintf(note, sizeof(note),
					      "(%u lines dropped: console rate limit or ring full)",
					      r->dropped);
	if ((r->rate && r->tokens < len + note_len) ||
	    !room(r, ENTRY_HDR + len + (note_len ? ENTRY_HDR + note_len : 0))) {
		r->dropped++;
		r->dropped_total++;
		return false;
	}
	if (note_len) {
		put_entry(r, note, note_len, cpu);
		r->dropped = 0;
	}
	put_entry(r, line, len, cpu);
	if (r->rate)
		r->tokens -= len + note_len;
	return true;
}

int cring_get(struct cring *r, char *out, uint32_t max, uint32_t *cpu)
{
	uint8_t hdr[ENTRY_HDR];
	uint32_t len, keep;

	if (cring_used(r) < ENTRY_HDR)
		return -1;
	get_bytes(r, hdr, ENTRY_HDR);
	len = hdr[0] | (uint32_t)hdr[1] << 8;
	*cpu = hdr[2] | (uint32_t)hdr[3] << 8;
	if (len > cring_used(r)) {
		r->tail = r->head; /* cannot happen with cring_put: start over */
		return -1;
	}
	keep = MIN(len, max);
	get_bytes(r, out, keep);
	r->tail += len - keep;
	return (int)keep;
}
