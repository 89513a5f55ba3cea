// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for arch/x86_64/root/hpet.c: a random HPET (timer
 * count, register values), a random set of the root's IOAPIC inputs, then
 * writes of any size at any offset of the page. abort()s when an allowed
 * write is misaligned, past the timers, touches an FSB route register,
 * sets FSB delivery, enables a timer on an input the root lacks (its own
 * route, or the legacy one for timers 0 and 1 while legacy replacement is
 * on, as the write itself or the hardware says), or turns legacy
 * replacement on or off so that timer 0 or 1 would interrupt a foreign
 * input. A refusal always says why.
 *
 * Layout: 16 bytes of set-up (timers, owned inputs, GEN_CONF, timer 0 and
 * 1 configuration), then 11 bytes per write: offset (2), size, value (8).
 */
#include <stdlib.h>
#include <string.h>

#include "root/hpet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t regs[0x400 / 4];
static uint32_t owned_mask;

static bool owned(const void *ctx, uint32_t gsi)
{
	(void)ctx;
	return gsi < 32 && (owned_mask & (1u << gsi));
}

static uint32_t hw_read(const void *ctx, uint32_t off)
{
	(void)ctx;
	if (off >= sizeof(regs) || (off & 3))
		abort();
	return regs[off / 4];
}

/* the input timer n interrupts through with configuration conf; -1: none */
static int input_of(unsigned n, uint32_t conf, bool legacy)
{
	if (legacy && n < 2)
		return n ? HPET_LEGACY_GSI1 : HPET_LEGACY_GSI0;
	if (!(conf & HPET_TN_INT_ENB))
		return -1;
	return (int)((conf >> HPET_TN_ROUTE_SHIFT) & HPET_TN_ROUTE_MASK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hpet_env e = { .owned = owned, .hw_read = hw_read };
	char why[96];

	if (size < 16)
		return 0;
	e.timers = data[0] % 34; /* beyond HPET_TIMERS_MAX too */
	memcpy(&owned_mask, data + 1, 4);
	memset(regs, 0, sizeof(regs));
	memcpy(&regs[HPET_GEN_CONF / 4], data + 5, 3);
	memcpy(&regs[HPET_TIMER(0) / 4], data + 8, 4);
	memcpy(&regs[HPET_TIMER(1) / 4], data + 12, 4);
	data += 16;
	size -= 16;
	for (; size >= 11; data += 11, size -= 11) {
		uint32_t off = (uint32_t)(data[0] | data[1] << 8) & 0xfff;
		unsigned sz = 1u << (data[2] % 5); /* 1..16: 16 is never valid */
		uint64_t val;
		bool ok;
		unsigned timers = e.timers > HPET_TIMERS_MAX ? HPET_TIMERS_MAX : e.timers;

		memcpy(&val, data + 3, 8);
		ok = hpet_write_allowed(&e, off, sz, val, why, sizeof(why));
		if (!ok) {
			if (!why[0])
				abort();
			continue;
		}
		if (sz > 8 || off % sz || off >= HPET_TIMER(timers))
			abort();
		if (off >= HPET_TIMER(0)) {
			unsigned n = (off - HPET_TIMER(0)) / 0x20,
				 reg = (off - HPET_TIMER(0)) % 0x20;
			bool legacy = regs[HPET_GEN_CONF / 4] & HPET_CONF_LEGACY;
			int in;

			if (reg >= HPET_TN_FSB)
				abort();
			if (reg < HPET_TN_CMP) {
				if (reg != 0 || sz < 4 || (val & HPET_TN_FSB_EN))
					abort();
				in = input_of(n, (uint32_t)val, legacy);
				if (in >= 0 && !owned(NULL, (uint32_t)in))
					abort();
				if (n < 2)
					regs[HPET_TIMER(n) / 4] = (uint32_t)val;
			}
		} else if (off < HPET_GEN_CONF + 8 && off + sz > HPET_GEN_CONF) {
			bool legacy = val & HPET_CONF_LEGACY;

			if (off != HPET_GEN_CONF || sz < 4)
				abort();
			for (unsigned n = 0; n < 2 && n < timers; n++) {
				uint32_t conf = regs[HPET_TIMER(n) / 4];
				int in = input_of(n, conf, legacy);

				if ((conf & HPET_TN_FSB_EN) ||
				    (in >= 0 && !owned(NULL, (uint32_t)in)))
					abort();
			}
			regs[HPET_GEN_CONF / 4] = (uint32_t)val;
		}
	}
	return 0;
}
