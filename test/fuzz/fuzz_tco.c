// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for arch/x86_64/root/ich.c: the root's TCO watchdog
 * driven by a random sequence of register reads and writes of every size
 * and offset (past the block's end too), GCS writes, time steps from one
 * unit to years, and restarts. abort()s when a read has bits beyond its
 * size, TCO_TMR leaves 4..0x3ff, the count exceeds what was loaded, a
 * reboot comes with NO_REBOOT set, without a first timeout before it, less
 * than one tick after the count last (re)started, or twice without a new
 * start, when a halted watchdog has an expiry, or when time runs backwards
 * in it. A run that loops (every expiry one by one) is a libFuzzer timeout.
 *
 * Layout: one byte of period (ticks of 1..256 units), then operations of 8
 * bytes: kind, offset, size, 4 bytes of value, a time-step exponent.
 */
#include <stdlib.h>
#include <string.h>

#include "root/ich.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t started; /* when the count last started from a reload or an unhalt */

static void check_state(const struct vtco *t)
{
	if (t->tmr < TCO_TMR_MIN || t->tmr > TCO_TMR_MASK || t->tmr_loaded > TCO_TMR_MASK)
		abort();
	if (!t->expire != !!(t->cnt1 & TCO1_CNT_TMR_HLT))
		abort(); /* running exactly while TCO_TMR_HLT is clear */
}

static void after_event(const struct vtco *t, enum vtco_event ev, uint64_t now, bool *fired)
{
	if (ev != VTCO_REBOOT)
		return;
	if (t->no_reboot || !(t->sts1 & TCO1_STS_TIMEOUT) || !(t->sts2 & TCO2_STS_SECOND_TO))
		abort();
	if (t->expire || *fired || now < started + t->period)
		abort();
	*fired = true; /* stays halted until a restart or an unhalt */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtco t;
	uint64_t now = 0, period;
	bool fired = false;

	if (size < 1)
		return 0;
	period = (uint64_t)data[0] + 1;
	vtco_reset(&t, period, true);
	started = 0;
	data++;
	size--;
	for (; size >= 8; data += 8, size -= 8) {
		unsigned kind = data[0] % 6, off = data[1] % 40, sz = 1u << (data[2] % 3);
		uint32_t val;
		uint64_t step = data[7] >= 64 ? 0 : 1ULL << (data[7] % 64);
		enum vtco_event ev;
		bool was_halted;

		memcpy(&val, data + 3, 4);
		/* time moves forward only */
		if (now + step < now)
			return 0;
		now += step;
		if (kind != 3 && kind != 5) {
			ev = vtco_advance(&t, now);
			after_event(&t, ev, now, &fired);
			check_state(&t);
		}
		switch (kind) {
		case 0: { /* read */
			uint32_t v = vtco_read(&t, off, sz, now);

			if (sz < 4 && (v >> (8 * sz)))
				abort();
			if (off == TCO_RLD && sz >= 2 && (v & 0xffff) > t.tmr_loaded)
				abort();
			break;
		}
		case 1: /* write */
		case 2:
			was_halted = t.cnt1 & TCO1_CNT_TMR_HLT;
			ev = vtco_write(&t, off, sz, val, now);
			after_event(&t, ev, now, &fired);
			if (ev == VTCO_NONE && ((off <= TCO_RLD + 1 && off + sz > TCO_RLD) ||
						(was_halted && !(t.cnt1 & TCO1_CNT_TMR_HLT)))) {
				started = now;
				if (!(t.cnt1 & TCO1_CNT_TMR_HLT))
					fired = false;
			}
			break;
		case 3: /* GCS, against a random hardware value */
			if (vtco_gcs_write(&t, val ^ 0x5a5a5a5a, val) !=
			    (((val ^ (val ^ 0x5a5a5a5a)) & ~ICH_GCS_NO_REBOOT) != 0))
				abort();
			if (!!(vtco_gcs_read(&t, 0) & ICH_GCS_NO_REBOOT) != t.no_reboot)
				abort();
			break;
		case 4: /* nothing: time only */
			break;
		default: /* the root restarts */
			vtco_reset(&t, period, data[1] & 1);
			fired = false;
			started = now;
			if (t.expire || !t.no_reboot)
				abort();
			break;
		}
		check_state(&t);
	}
	return 0;
}
