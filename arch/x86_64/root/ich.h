/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The root's own ICH/PCH TCO watchdog (docs/threat-model.md, "Watchdog and
 * SMI enables"): the hardware's is the hypervisor's (platform/chipset.h);
 * the root's TCO ports and GCS.NO_REBOOT reach this model, whose second
 * timeout restarts the root alone (Linux's iTCO_wdt drives it unchanged).
 * Pure: no hardware, no locks, time passed in; the glue is root_ich.c.
 */
#ifndef ROOT_ICH_H
#define ROOT_ICH_H

#include "platform/chipset.h"
#include "core/types.h"

/* The root's TCO watchdog. Time is in any unit; period is one tick in it. */
struct vtco {
	uint64_t period;
	uint64_t reload_at; /* when the count last started from tmr_loaded */
	uint64_t expire;    /* when it reaches zero next; 0: halted */
	uint16_t tmr;	    /* TCO_TMR as written */
	uint16_t tmr_loaded;
	uint16_t sts1, sts2, cnt1, cnt2;
	uint8_t dat_in, dat_out, msg1, msg2, wdcnt, sw_irq;
	bool no_reboot;	   /* GCS.NO_REBOOT as the root sees it */
	uint32_t timeouts; /* expiries seen, for the report */
};

/*
 * The watchdog as a new root finds it: halted, NO_REBOOT set, the reload
 * value 4; the status bits of a second timeout stay, as the hardware keeps
 * them across the reset it caused (cold: all clear).
 */
void vtco_reset(struct vtco *t, uint64_t period, bool cold);

enum vtco_event {
	VTCO_NONE,
	VTCO_REBOOT, /* the second timeout with NO_REBOOT clear: restart the root */
};

/* Brings the watchdog to time now (expiries in between happen). */
enum vtco_event vtco_advance(struct vtco *t, uint64_t now);
/*
 * A read of size 1, 2 or 4 at off (bytes past the block read 0). It does not
 * advance time: vtco_advance() first, so an expiry is never read past.
 */
uint32_t vtco_read(const struct vtco *t, unsigned off, unsigned size, uint64_t now);
/* A write of size 1, 2 or 4 at off: VTCO_REBOOT when the watchdog fired first */
enum vtco_event vtco_write(struct vtco *t, unsigned off, unsigned size, uint32_t val, uint64_t now);
/* GCS as the root sees it: the hardware's value with its own NO_REBOOT */
uint32_t vtco_gcs_read(const struct vtco *t, uint32_t hw);
/*
 * A write of the root to GCS: its NO_REBOOT is taken, any other bit is the
 * hardware's and stays (true when the write tried to change one).
 */
bool vtco_gcs_write(struct vtco *t, uint32_t hw, uint32_t val);

#endif
