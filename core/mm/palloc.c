// SPDX-License-Identifier: GPL-2.0-only
/* Page allocator for the hypervisor's pool: a first-fit bitmap kept in the pool's first pages. */
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/spinlock.h"

#define BITS_PER_WORD	64
#define BITS_PER_PAGE	(PAGE_SIZE * 8)
#define PALLOC_MIN_POOL 2 /* one bitmap page and one page to hand out */

/*
 * All allocator state in one place, guarded by one lock: partitions start
 * on their own CPUs (each allocating its control blocks) while the boot CPU
 * builds the next partition's stage-2 tables, so allocations overlap. The
 * pool is mapped 1:1, so addresses are pointers.
 */
static struct {
	spinlock_t lock; /* the bitmap and the free count */
	hpa_t base;
	uint64_t pages;	       /* pool size, bitmap pages included */
	uint64_t bitmap_pages; /* the first pages: the bitmap itself, always in use */
	uint64_t free;
	uint64_t *bitmap; /* bit set = page in use */
} pa;

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static bool page_used(uint64_t idx)
{
	return pa.bitmap[idx / BITS_PER_WORD] & (1ULL << (idx % BITS_PER_WORD));
}

static void mark(uint64_t idx, uint64_t n, bool used)
{
	for (uint64_t i = idx; i < idx + n; i++) {
		if (used)
			pa.bitmap[i / BITS_PER_WORD] |= 1ULL << (i % BITS_PER_WORD);
		else
			pa.bitmap[i / BITS_PER_WORD] &= ~(1ULL << (i % BITS_PER_WORD));
	}
}

int palloc_init(hpa_t base, uint64_t size)
{
	uint64_t pages, bm_pages;

	if (base == 0 || !IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE)) {
		pr_err("palloc: pool [0x%llx, +0x%llx) is not page-aligned (or starts at 0)",
		       ull(base), ull(size));
		return -HV_EINVAL;
	}
	pages = size >> PAGE_SHIFT;
	if (size > UINT64_MAX - base || pages < PALLOC_MIN_POOL) {
		pr_err("palloc: pool [0x%llx, +0x%llx) is smaller than %u pages or wraps",
		       ull(base), ull(size), PALLOC_MIN_POOL);
		return -HV_EINVAL;
	}
	bm_pages = (pages + BITS_PER_PAGE - 1) / BITS_PER_PAGE;
	if (bm_pages >= pages) {
		pr_err("palloc: pool of %llu pages has no room beside its bitmap", ull(pages));
		return -HV_EINVAL;
	}

	pa.base = base;
	pa.pages = pages;
	pa.bitmap_pages = bm_pages;
	pa.bitmap = (uint64_t *)(uintptr_t)base;
	memset(pa.bitmap, 0, bm_pages * PAGE_SIZE);
	mark(0, bm_pages, true);
	/* Bits past the pool's end stay clear; the search never looks beyond pa.pages. */
	pa.free = pages - bm_pages;
	pr_debug("palloc: pool [0x%llx-0x%llx), %llu pages, %llu for the bitmap", ull(base),
		 ull(base + size), ull(pages), ull(bm_pages));
	return 0;
}

/* First index >= idx whose page address is a multiple of align pages. */
static uint64_t align_index(uint64_t idx, uint64_t align)
{
	uint64_t pfn = (pa.base >> PAGE_SHIFT) + idx;

	return idx + (ALIGN_UP(pfn, align) - pfn);
}

hpa_t palloc_alloc(uint64_t npages, uint64_t align_pages)
{
	uint64_t idx;

	if (!pa.bitmap) {
		pr_err("palloc: alloc of %llu pages before palloc_init", ull(npages));
		return 0;
	}
	if (npages == 0 || align_pages == 0 || (align_pages & (align_pages - 1))) {
		pr_err("palloc: bad request: %llu pages aligned to %llu pages", ull(npages),
		       ull(align_pages));
		return 0;
	}
	/* Alignments beyond the address space can never be met (and would overflow). */
	if (npages > pa.pages || align_pages > (UINT64_MAX >> PAGE_SHIFT) / 2)
		return 0;

	spin_lock(&pa.lock);
	idx = align_index(pa.bitmap_pages, align_pages);
	while (npages <= pa.free && idx < pa.pages && pa.pages - idx >= npages) {
		uint64_t j = idx, end = idx + npages;

		while (j < end && !page_used(j))
			j++;
		if (j == end) {
			hpa_t addr = pa.base + (idx << PAGE_SHIFT);

			mark(idx, npages, true);
			pa.free -= npages;
			spin_unlock(&pa.lock);
			/* the pages are the caller's now: zeroed outside the lock */
			memset((void *)(uintptr_t)addr, 0, npages << PAGE_SHIFT);
			return addr;
		}
		/* Page j is in use: no run starting at or before it fits; skip its neighbours
		 * that are in use too, a whole word at a time where possible. */
		for (j++; j < pa.pages;) {
			if (j % BITS_PER_WORD == 0 && pa.bitmap[j / BITS_PER_WORD] == UINT64_MAX)
				j += BITS_PER_WORD;
			else if (page_used(j))
				j++;
			else
				break;
		}
		idx = align_index(j, align_pages);
	}
	spin_unlock(&pa.lock);
	return 0;
}

void palloc_free(hpa_t addr, uint64_t npages)
{
	uint64_t idx;

	if (!pa.bitmap) {
		pr_err("palloc: free of 0x%llx before palloc_init", ull(addr));
		return;
	}
	if (npages == 0 || !IS_ALIGNED(addr, PAGE_SIZE) || addr < pa.base ||
	    ((addr - pa.base) >> PAGE_SHIFT) < pa.bitmap_pages ||
	    ((addr - pa.base) >> PAGE_SHIFT) >= pa.pages ||
	    npages > pa.pages - ((addr - pa.base) >> PAGE_SHIFT)) {
		pr_err("palloc: free of %llu pages at 0x%llx is outside the pool [0x%llx-0x%llx), "
		       "ignored",
		       ull(npages), ull(addr), ull(pa.base + (pa.bitmap_pages << PAGE_SHIFT)),
		       ull(pa.base + (pa.pages << PAGE_SHIFT)));
		return;
	}
	idx = (addr - pa.base) >> PAGE_SHIFT;
	spin_lock(&pa.lock);
	for (uint64_t i = idx; i < idx + npages; i++) {
		if (!page_used(i)) {
			spin_unlock(&pa.lock);
			pr_err("palloc: double free: page 0x%llx (in a free of %llu pages at "
			       "0x%llx) is not allocated, ignored",
			       ull(pa.base + (i << PAGE_SHIFT)), ull(npages), ull(addr));
			return;
		}
	}
	mark(idx, npages, false);
	pa.free += npages;
	spin_unlock(&pa.lock);
}

uint64_t palloc_free_pages(void)
{
	return __atomic_load_n(&pa.free, __ATOMIC_RELAXED);
}

uint64_t palloc_total_pages(void)
{
	return pa.bitmap ? pa.pages - pa.bitmap_pages : 0;
}
