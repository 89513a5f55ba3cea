/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Conversions between counter ticks and nanoseconds in 64-bit integer math. */
#ifndef RTOS_CLOCK_H
#define RTOS_CLOCK_H

#include <stdint.h>

/* Counter frequencies the kernel accepts: 1 MHz to 100 GHz. */
#define RTOS_CLOCK_KHZ_MIN 1000ULL
#define RTOS_CLOCK_KHZ_MAX 100000000ULL

struct rtos_clock {
	uint64_t khz;
	uint64_t ns_mult;   /* ns = ticks * ns_mult >> 32 */
	uint64_t tick_mult; /* ticks = ns * tick_mult >> 32 */
};

/* (a * b) >> 32 without a 128-bit type; the caller keeps the result below 2^64. */
uint64_t mul_shr32(uint64_t a, uint64_t b);

/* Returns 0, or -1 when khz is outside [RTOS_CLOCK_KHZ_MIN, RTOS_CLOCK_KHZ_MAX]. */
int clock_init(struct rtos_clock *c, uint64_t khz);
/* Saturates at UINT64_MAX instead of wrapping for absurdly long spans. */
uint64_t clock_to_ns(const struct rtos_clock *c, uint64_t ticks);
uint64_t clock_from_ns(const struct rtos_clock *c, uint64_t ns);
/* Exact for whole kHz (no fixed-point rounding): periods built from it stay on one grid. */
uint64_t clock_from_us(const struct rtos_clock *c, uint32_t us);

#endif
