/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The HPET as the Linux root may program it (docs/linux-root.md, "HPET"):
 * its page is mapped read-only, so the counter reads at full speed, and
 * every write is checked here first. The HPET can interrupt through any
 * IOAPIC input its timers name (INT_ROUTE), through the legacy replacement
 * route (timer 0 to IRQ0/GSI 2, timer 1 to IRQ8/GSI 8), or write an MSI
 * anywhere (FSB delivery): the root may aim its timers only at IOAPIC pins
 * the table gives it, never by FSB. Pure: hardware reads and ownership
 * through callbacks; the glue is root_emul.c.
 */
#ifndef ROOT_HPET_H
#define ROOT_HPET_H

#include "core/types.h"

#define HPET_GCAP	    0x000
#define HPET_GEN_CONF	    0x010
#define HPET_GINTR_STA	    0x020
#define HPET_MAIN_CNT	    0x0f0
#define HPET_TIMER(n)	    (0x100u + 0x20u * (n))
#define HPET_TN_CONF	    0x00
#define HPET_TN_CMP	    0x08
#define HPET_TN_FSB	    0x10
#define HPET_TIMERS_MAX	    32
#define HPET_CONF_ENABLE    (1u << 0)
#define HPET_CONF_LEGACY    (1u << 1)
#define HPET_TN_INT_ENB	    (1u << 2)
#define HPET_TN_ROUTE_SHIFT 9
#define HPET_TN_ROUTE_MASK  0x1fu
#define HPET_TN_FSB_EN	    (1u << 14)
#define HPET_LEGACY_GSI0    2 /* timer 0 in legacy replacement: IRQ0, GSI 2 */
#define HPET_LEGACY_GSI1    8 /* timer 1: IRQ8 (the RTC's), GSI 8 */

struct hpet_env {
	unsigned timers; /* GCAP_ID NUM_TIM_CAP + 1 */
	/* whether the root owns this global interrupt (an IOAPIC input) */
	bool (*owned)(const void *ctx, uint32_t gsi);
	/* a dword of the hardware HPET at off */
	uint32_t (*hw_read)(const void *ctx, uint32_t off);
	const void *ctx;
};

/*
 * A write of the root of size 1, 2, 4 or 8 bytes at off (0..0xfff of the
 * HPET's page): true when it may reach the hardware as it is; false with
 * the reason in why (then it is dropped).
 */
bool hpet_write_allowed(const struct hpet_env *e, uint32_t off, unsigned size, uint64_t val,
			char *why, size_t why_len);

#endif
