// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root's writes to the HPET, checked (root/hpet.h). Hardware facts
 * (IA-PC HPET specification 1.0a): general configuration at 0x10 (bit 0
 * ENABLE_CNF, bit 1 LEG_RT_CNF: timer 0 drives IRQ0/IOAPIC input 2 and
 * timer 1 IRQ8/input 8 instead of their own routes); timer n's
 * configuration at 0x100 + 0x20 n (bit 2 Tn_INT_ENB_CNF, bits 13:9
 * Tn_INT_ROUTE_CNF: the IOAPIC input, bit 14 Tn_FSB_EN_CNF: deliver by a
 * memory write of Tn_FSB_INT_VAL to Tn_FSB_INT_ADDR, the register at
 * 0x110 + 0x20 n), its comparator at 0x108 + 0x20 n; the block is 1 KiB,
 * the rest of its page reserved.
 */
#include "root/hpet.h"
#include "core/lib.h"

static bool owned(const struct hpet_env *e, uint32_t gsi)
{
	return !e->owned || e->owned(e->ctx, gsi);
}

/* Whether timer n, configured conf, may interrupt with the legacy route on or off */
static bool timer_ok(const struct hpet_env *e, unsigned n, uint32_t conf, bool legacy, char *why,
		     size_t why_len)
{
	uint32_t gsi = (conf >> HPET_TN_ROUTE_SHIFT) & HPET_TN_ROUTE_MASK;

	if (conf & HPET_TN_FSB_EN) {
		snprintf(why, why_len, "timer %u FSB (MSI) delivery is never the root's", n);
		return false;
	}
	if (legacy && n < 2)
		gsi = n ? HPET_LEGACY_GSI1 : HPET_LEGACY_GSI0;
	else if (!(conf & HPET_TN_INT_ENB))
		return true;
	if (!owned(e, gsi)) {
		snprintf(why, why_len,
			 "timer %u would interrupt through IOAPIC input %u, not the root's", n,
			 gsi);
		return false;
	}
	return true;
}

bool hpet_write_allowed(const struct hpet_env *e, uint32_t off, unsigned size, uint64_t val,
			char *why, size_t why_len)
{
	unsigned timers = MIN(e->timers, HPET_TIMERS_MAX);
	uint32_t lo = (uint32_t)val;

	why[0] = 0;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || (off & (size - 1))) {
		snprintf(why, why_len, "a %u-byte write at 0x%x is not aligned", size, off);
		return false;
	}
	if (off >= HPET_TIMER(timers)) {
		snprintf(why, why_len, "0x%x is past the HPET's %u timers", off, timers);
		return false;
	}
	if (off < HPET_TIMER(0)) {
		if (off < HPET_GEN_CONF + 8 && off + size > HPET_GEN_CONF) {
			bool legacy;

			if (off != HPET_GEN_CONF || size < 4) {
				snprintf(why, why_len,
					 "a %u-byte write at 0x%x of the configuration", size, off);
				return false;
			}
			legacy = lo & HPET_CONF_LEGACY;
			for (unsigned n = 0; n < 2 && n < timers; n++)
				if (!timer_ok(e, n,
					      e->hw_read(e->ctx, HPET_TIMER(n) + HPET_TN_CONF),
					      legacy, why, why_len))
					return false;
		}
		return true; /* capabilities (read-only), status, the main counter */
	}
	{
		unsigned n = (off - HPET_TIMER(0)) / 0x20, reg = (off - HPET_TIMER(0)) % 0x20;

		if (reg >= HPET_TN_FSB) {
			snprintf(why, why_len, "timer %u FSB route (MSI address and data)", n);
			return false;
		}
		if (reg >= HPET_TN_CMP)
			return true; /* the comparator */
		if (reg != HPET_TN_CONF || size < 4) {
			snprintf(why, why_len,
				 "a %u-byte write at 0x%x of timer %u's configuration", size, off,
				 n);
			return false;
		}
		return timer_ok(e, n, lo,
				(e->hw_read(e->ctx, HPET_GEN_CONF) & HPET_CONF_LEGACY) != 0, why,
				why_len);
	}
}
