/* SPDX-License-Identifier: GPL-2.0-only */
/* A partition for the guest-facing unit tests, its regions backed by host memory. */
#ifndef TEST_PART_FIXTURE_H
#define TEST_PART_FIXTURE_H

#include <stdlib.h>

#include "bulkhead/table.h"
#include "core/partition.h"

/*
 * Guest-physical layout (region index: what it is for):
 *   FX_SHARED  0x080000 +64K  ivshmem memory, also flagged LOADABLE (must still be refused)
 *   FX_IO      0x0a0000 +4K   MMIO below all RAM (must not count as the lowest RAM)
 *   FX_RAM     0x100000 +1M   the lowest RAM region: boot info and reserved 64 KiB at its base
 *   FX_RAM2    0x200000 +256K RAM right after FX_RAM in guest space (straddling tests)
 *   FX_RO      0x300000 +64K  read-only RAM, not loadable
 *   FX_WO      0x400000 +4K   write-only RAM
 */
enum { FX_SHARED, FX_IO, FX_RAM, FX_RAM2, FX_RO, FX_WO, FX_REGIONS };

#define FX_RAM_GPA  0x100000ull
#define FX_RAM_SIZE 0x100000ull
#define FX_RAM2_GPA 0x200000ull
#define FX_RO_GPA   0x300000ull
#define FX_WO_GPA   0x400000ull
#define FX_IO_GPA   0xa0000ull
#define FX_SH_GPA   0x80000ull
#define FX_FILL	    0xcc /* every region's bytes before a test touches them */

static const struct part_region fx_layout[FX_REGIONS] = {
	[FX_SHARED] = { FX_SH_GPA, 0, 0x10000,
			BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED | BH_MEM_LOADABLE },
	[FX_IO] = { FX_IO_GPA, 0, 0x1000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO },
	[FX_RAM] = { FX_RAM_GPA, 0, FX_RAM_SIZE,
		     BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_LOADABLE },
	[FX_RAM2] = { FX_RAM2_GPA, 0, 0x40000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_LOADABLE },
	[FX_RO] = { FX_RO_GPA, 0, 0x10000, BH_MEM_READ },
	[FX_WO] = { FX_WO_GPA, 0, 0x1000, BH_MEM_WRITE },
};

#define FX_RAM_BYTES (0x100000ull + 0x40000 + 0x10000 + 0x1000)

static inline void fx_init(struct partition *p)
{
	static const hw_id_t hw[] = { 4, 6 };
	static const cpu_id_t cpus[] = { 2, 3 };

	memset(p, 0, sizeof(*p));
	p->id = 2;
	strcpy(p->name, "rtos1");
	p->flags = BH_PART_RT;
	p->fault_policy = BH_FAULT_STOP;
	p->state = PART_RUNNING;
	p->cpu_count = 2;
	memcpy(p->hw_ids, hw, sizeof(hw));
	memcpy(p->cpus, cpus, sizeof(cpus));
	p->tsc_khz = 2400000;
	p->console_port = 0;
	p->region_count = FX_REGIONS;
	for (int i = 0; i < FX_REGIONS; i++) {
		void *m = aligned_alloc(PAGE_SIZE, fx_layout[i].size);

		if (!m)
			abort();
		memset(m, FX_FILL, fx_layout[i].size);
		p->regions[i] = fx_layout[i];
		p->regions[i].hpa = (hpa_t)(uintptr_t)m;
	}
}

static inline void fx_free(struct partition *p)
{
	for (int i = 0; i < FX_REGIONS; i++)
		free((void *)(uintptr_t)p->regions[i].hpa);
	memset(p, 0, sizeof(*p));
}

/* Host pointer of a guest address in region i, without any access check. */
static inline uint8_t *fx_host(const struct partition *p, int i, gpa_t gpa)
{
	return (uint8_t *)(uintptr_t)(p->regions[i].hpa + (gpa - p->regions[i].gpa));
}

static inline bool fx_all(const uint8_t *b, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++)
		if (b[i] != v)
			return false;
	return true;
}

#endif
