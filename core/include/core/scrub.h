/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scrubbing behind the start: a partition's RAM must read as zero (nothing
 * of the firmware, the boot loader or a previous owner leaks in), but
 * zeroing it all before the first guest instruction costs about 1 ms per
 * 8 MiB under -icount and a memory-bandwidth pass on hardware. So the
 * loader zeroes only the units it writes (the image, the boot information),
 * the stage-2 tables leave every other unit unmapped, and each unit is
 * zeroed, then mapped, by whoever needs it first:
 *  - the boot CPU, once every RT partition runs (part_scrub_all);
 *  - the partition's own vCPU, on a not-present stage-2 fault in the unit
 *    (part_scrub_fault), before the access is retried;
 *  - the hypervisor, before it reads or writes the unit for the guest
 *    (gmem_ptr, the loader: part_scrub_range).
 * A unit is the part of one RAM region inside one 2 MiB-aligned guest
 * block. Its state goes PENDING -> BUSY (claimed by one CPU) -> DONE, and the
 * stage-2 leaves are written only after the zeroing, so no CPU ever sees
 * the old bytes. Regions of 1 GiB or more are zeroed at load time instead:
 * they keep their 1 GiB stage-2 leaves. Shared and device regions are
 * never scrubbed.
 */
#ifndef CORE_SCRUB_H
#define CORE_SCRUB_H

#include "core/partition.h"

#define SCRUB_UNIT	   (2ULL << 20)
#define SCRUB_REGION_EAGER (1ULL << 30) /* regions this large are zeroed at load time */

enum scrub_state { SCRUB_PENDING = 0, SCRUB_BUSY = 1, SCRUB_DONE = 2 };

struct scrub_span {
	gpa_t gpa; /* a deferred RAM region */
	hpa_t hpa;
	uint64_t size;
	uint32_t first; /* its first unit in state[] */
	uint32_t count;
};

struct part_scrub {
	struct partition *p;
	bool s2_ready; /* the stage-2 tables exist: a scrubbed unit is mapped at once */
	uint32_t n_spans;
	struct scrub_span spans[PART_REGIONS_MAX];
	uint32_t units;
	volatile uint32_t left;		     /* units not DONE */
	volatile uint32_t by_boot, by_fault; /* who scrubbed them, for the report */
	volatile uint8_t state[];	     /* enum scrub_state, by unit */
};

/*
 * Replaces "zero every RAM region" before an image load: regions of 1 GiB or
 * more are zeroed now, the rest are left PENDING in p->scrub. 0, or
 * -HV_ENOMEM when there is no room for the state: then all of it is zeroed
 * now (and reported). Nothing deferred leaves p->scrub NULL.
 */
int part_scrub_defer(struct partition *p);
/* The stage-2 tables of p exist (with its PENDING units unmapped): later scrubs map. */
void part_scrub_s2_ready(struct partition *p);
/* Whether the unit holding gpa is scrubbed, or gpa is in no deferred region. */
bool part_scrub_done(const struct partition *p, gpa_t gpa);
/* Every unit overlapping [gpa, gpa + len) is DONE on return (scrubbed here or waited for). */
void part_scrub_range(const struct partition *p, gpa_t gpa, uint64_t len);
/*
 * A not-present stage-2 fault of p at gpa: true when gpa is in a deferred
 * region (its unit is DONE and mapped on return: retry the access), false
 * when scrubbing has nothing to do with it.
 */
bool part_scrub_fault(const struct partition *p, gpa_t gpa);
/*
 * Whether gpa lies in RAM of p that is scrubbed behind the start (a region
 * below SCRUB_REGION_EAGER, not shared, not a device), whatever the state:
 * a not-present fault there that part_scrub_fault() no longer knows raced
 * the end of the boot CPU's sweep (part_scrub_all drops the state once all
 * is mapped), and the access is to be retried.
 */
bool part_scrub_region(const struct partition *p, gpa_t gpa);
/*
 * The boot CPU scrubs what is left of p (units others hold are theirs),
 * waits for those, reports, and sets p->scrub to NULL: nothing is pending.
 */
void part_scrub_all(struct partition *p);

#endif
