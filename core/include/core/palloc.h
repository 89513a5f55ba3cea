/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical page allocator for the hypervisor's own memory: one contiguous
 * pool, fixed at boot (carved as MEM_HV_POOL from the memory map), managed by
 * a bitmap kept at the start of the pool. Pages come back zeroed.
 * Addresses are host-physical; the hypervisor maps its pool 1:1.
 */
#ifndef CORE_PALLOC_H
#define CORE_PALLOC_H

#include "core/types.h"

/*
 * Takes over [base, base + size) (page-aligned, at least 2 pages).
 * Returns 0 or -HV_EINVAL.
 */
int palloc_init(hpa_t base, uint64_t size);

/*
 * Allocates npages contiguous pages aligned to align_pages (a power of two,
 * 1 = any page). Returns the physical address, or 0 when the pool has no such
 * run. The pages are zeroed.
 */
hpa_t palloc_alloc(uint64_t npages, uint64_t align_pages);

/* Returns pages obtained from palloc_alloc; freeing what is not allocated is logged and ignored. */
void palloc_free(hpa_t addr, uint64_t npages);

uint64_t palloc_free_pages(void);
uint64_t palloc_total_pages(void);

#endif
