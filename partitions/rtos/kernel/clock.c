// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Counter tick <-> nanosecond conversions with 32.32 fixed-point multipliers. */
#include "rtos/clock.h"

#define NS_PER_MS 1000000ULL

uint64_t mul_shr32(uint64_t a, uint64_t b)
{
	const uint64_t lo_mask = 0xffffffffULL;
	uint64_t al = a & lo_mask, ah = a >> 32;
	uint64_t bl = b & lo_mask, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	/* The three terms that straddle bit 32, each below 2^32: no carry is lost. */
	uint64_t mid = (ll >> 32) + (lh & lo_mask) + (hl & lo_mask);

	return ((hh + (lh >> 32) + (hl >> 32)) << 32) + mid;
}

int clock_init(struct rtos_clock *c, uint64_t khz)
{
	if (khz < RTOS_CLOCK_KHZ_MIN || khz > RTOS_CLOCK_KHZ_MAX)
		return -1;
	c->khz = khz;
	/* Rounded to nearest: the error stays below one part in 2^32 of a tick or ns. */
	c->ns_mult = ((NS_PER_MS << 32) + khz / 2) / khz;
	c->tick_mult = ((khz << 32) + NS_PER_MS / 2) / NS_PER_MS;
	return 0;
}

/* Beyond this many ticks a product could overflow; no real span gets there (hours). */
static uint64_t span_limit(uint64_t mult)
{
	return mult > (1ULL << 32) ? (UINT64_MAX / mult) << 32 : UINT64_MAX >> 1;
}

uint64_t clock_to_ns(const struct rtos_clock *c, uint64_t ticks)
{
	if (ticks >= span_limit(c->ns_mult))
		return UINT64_MAX;
	return mul_shr32(ticks, c->ns_mult);
}

uint64_t clock_from_ns(const struct rtos_clock *c, uint64_t ns)
{
	if (ns >= span_limit(c->tick_mult))
		return UINT64_MAX;
	return mul_shr32(ns, c->tick_mult);
}

uint64_t clock_from_us(const struct rtos_clock *c, uint32_t us)
{
	/* khz <= 1e8 and us < 2^32: the product stays below 2^64. */
	return c->khz * us / 1000;
}
