// SPDX-License-Identifier: GPL-2.0-only
/* Host stand-ins for the arch interface in fuzz builds; the log is discarded. */
#include <stdlib.h>

#include "core/arch.h"
#include "core/log.h"

cpu_id_t arch_cpu_id(void)
{
	return 0;
}

void arch_cpu_halt(void)
{
	abort();
}

uint64_t arch_cycles(void)
{
	return 0;
}

uint64_t arch_cycles_khz(void)
{
	return 0;
}

void arch_cpu_relax(void)
{
}

/* No harness builds partitions from a table yet: no CPU is online. */
int arch_cpu_by_hw_id(hw_id_t hw_id)
{
	(void)hw_id;
	return -1;
}

/* No harness scrubs with stage-2 tables built (core/scrub.h). */
int arch_part_s2_map(struct partition *p, gpa_t gpa, uint64_t size)
{
	(void)p;
	(void)gpa;
	(void)size;
	return 0;
}
