// SPDX-License-Identifier: GPL-2.0-only
/* Scrubbing a partition's RAM behind its start (core/scrub.h has the design). */
#include <bulkhead/table.h>

#include "core/arch.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/scrub.h"

static bool region_deferrable(const struct part_region *r)
{
	return !(r->flags & (BH_MEM_IO | BH_MEM_SHARED)) && r->size && r->size < SCRUB_REGION_EAGER;
}

/* Units of a region: the 2 MiB-aligned guest blocks it touches. */
static uint32_t units_of(gpa_t gpa, uint64_t size)
{
	return (uint32_t)((ALIGN_UP(gpa + size, SCRUB_UNIT) - ALIGN_DOWN(gpa, SCRUB_UNIT)) /
			  SCRUB_UNIT);
}

int part_scrub_defer(struct partition *p)
{
	uint32_t n = MIN(p->region_count, (uint32_t)PART_REGIONS_MAX), units = 0;
	struct part_scrub *s;
	uint64_t bytes, pages;
	hpa_t at;

	p->scrub = NULL;
	for (uint32_t i = 0; i < n; i++)
		if (region_deferrable(&p->regions[i]))
			units += units_of(p->regions[i].gpa, p->regions[i].size);
	for (uint32_t i = 0; i < n; i++) {
		const struct part_region *r = &p->regions[i];

		if (!(r->flags & (BH_MEM_IO | BH_MEM_SHARED)) && !region_deferrable(r))
			memset((void *)(uintptr_t)r->hpa, 0, r->size);
	}
	if (!units)
		return 0;
	bytes = sizeof(*s) + units;
	pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	at = palloc_alloc(pages, 1); /* zeroed: every unit PENDING */
	if (!at) {
		pr_warn("partition \"%.*s\": no room to scrub its RAM behind its start; zeroing "
			"it all now",
			PART_NAME_MAX, p->name);
		for (uint32_t i = 0; i < n; i++)
			if (region_deferrable(&p->regions[i]))
				memset((void *)(uintptr_t)p->regions[i].hpa, 0, p->regions[i].size);
		return -HV_ENOMEM;
	}
	s = (struct part_scrub *)(uintptr_t)at;
	s->p = p;
	s->units = units;
	s->left = units;
	units = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct part_region *r = &p->regions[i];
		struct scrub_span *sp;

		if (!region_deferrable(r))
			continue;
		sp = &s->spans[s->n_spans++];
		sp->gpa = r->gpa;
		sp->hpa = r->hpa;
		sp->size = r->size;
		sp->first = units;
		sp->count = units_of(r->gpa, r->size);
		units += sp->count;
	}
	p->scrub = s;
	return 0;
}

void part_scrub_s2_ready(struct partition *p)
{
	if (p->scrub)
		__atomic_store_n(&p->scrub->s2_ready, true, __ATOMIC_RELEASE);
}

static const struct scrub_span *span_of(const struct part_scrub *s, gpa_t gpa)
{
	for (uint32_t i = 0; i < s->n_spans; i++)
		if (gpa >= s->spans[i].gpa && gpa - s->spans[i].gpa < s->spans[i].size)
			return &s->spans[i];
	return NULL;
}

static uint32_t unit_index(const struct scrub_span *sp, gpa_t gpa)
{
	return sp->first + (uint32_t)((gpa - ALIGN_DOWN(sp->gpa, SCRUB_UNIT)) / SCRUB_UNIT);
}

/* The guest range of unit u of span sp: its 2 MiB block, clipped to the region. */
static void unit_range(const struct scrub_span *sp, uint32_t u, gpa_t *gpa, uint64_t *size)
{
	gpa_t b = ALIGN_DOWN(sp->gpa, SCRUB_UNIT) + (uint64_t)(u - sp->first) * SCRUB_UNIT;
	gpa_t e = b + SCRUB_UNIT;

	b = MAX(b, sp->gpa);
	e = MIN(e, sp->gpa + sp->size);
	*gpa = b;
	*size = e - b;
}

/*
 * Makes unit u DONE: claims and scrubs it (counting it in *count before it
 * is DONE), or (when another CPU holds it) waits for that CPU, or returns at
 * once when wait is false.
 */
static void scrub_unit(struct part_scrub *s, const struct scrub_span *sp, uint32_t u, bool wait,
		       volatile uint32_t *count)
{
	uint8_t st = SCRUB_PENDING;
	gpa_t gpa;
	uint64_t size;

	if (__atomic_load_n(&s->state[u], __ATOMIC_ACQUIRE) == SCRUB_DONE)
		return;
	if (!__atomic_compare_exchange_n(&s->state[u], &st, SCRUB_BUSY, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		/* the holder finishes in bounded time: it zeroes 2 MiB and writes a few entries */
		while (wait && __atomic_load_n(&s->state[u], __ATOMIC_ACQUIRE) != SCRUB_DONE)
			arch_cpu_relax();
		return;
	}
	unit_range(sp, u, &gpa, &size);
	memset((void *)(uintptr_t)(sp->hpa + (gpa - sp->gpa)), 0, size);
	/* zeroed first, mapped after: no CPU reads the old bytes through the new entries */
	if (__atomic_load_n(&s->s2_ready, __ATOMIC_ACQUIRE) &&
	    arch_part_s2_map(s->p, gpa, size) < 0)
		pr_err("partition \"%.*s\": stage-2 entries for 0x%llx+0x%llx could not be "
		       "written after scrubbing; an access there stops the partition",
		       PART_NAME_MAX, s->p->name, (unsigned long long)gpa,
		       (unsigned long long)size);
	if (count)
		__atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&s->left, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&s->state[u], SCRUB_DONE, __ATOMIC_RELEASE);
}

bool part_scrub_done(const struct partition *p, gpa_t gpa)
{
	const struct part_scrub *s = p->scrub;
	const struct scrub_span *sp = s ? span_of(s, gpa) : NULL;

	return !sp ||
	       __atomic_load_n(&s->state[unit_index(sp, gpa)], __ATOMIC_ACQUIRE) == SCRUB_DONE;
}

void part_scrub_range(const struct partition *p, gpa_t gpa, uint64_t len)
{
	struct part_scrub *s = p->scrub;

	if (!s || !len || gpa + len < gpa || __atomic_load_n(&s->left, __ATOMIC_ACQUIRE) == 0)
		return;
	for (uint32_t i = 0; i < s->n_spans; i++) {
		const struct scrub_span *sp = &s->spans[i];
		gpa_t b = MAX(gpa, sp->gpa);
		gpa_t e = MIN(gpa + len, sp->gpa + sp->size);

		if (b >= e)
			continue;
		for (uint32_t u = unit_index(sp, b); u <= unit_index(sp, e - 1); u++)
			scrub_unit(s, sp, u, true, NULL);
	}
}

bool part_scrub_region(const struct partition *p, gpa_t gpa)
{
	for (uint32_t i = 0; i < p->region_count; i++) {
		const struct part_region *r = &p->regions[i];

		if (region_deferrable(r) && gpa >= r->gpa && gpa - r->gpa < r->size)
			return true;
	}
	return false;
}

bool part_scrub_fault(const struct partition *p, gpa_t gpa)
{
	struct part_scrub *s = p->scrub;
	const struct scrub_span *sp = s ? span_of(s, gpa) : NULL;

	if (!sp)
		return false;
	scrub_unit(s, sp, unit_index(sp, gpa), true, &s->by_fault);
	return true;
}

void part_scrub_all(struct partition *p)
{
	struct part_scrub *s = p->scrub;
	uint64_t t0 = arch_cycles(), khz = arch_cycles_khz();

	if (!s)
		return;
	for (uint32_t i = 0; i < s->n_spans; i++)
		for (uint32_t u = s->spans[i].first; u < s->spans[i].first + s->spans[i].count; u++)
			scrub_unit(s, &s->spans[i], u, false, &s->by_boot);
	/* units the partition holds are done in bounded time: the report counts them */
	while (__atomic_load_n(&s->left, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	pr_info("partition \"%.*s\": RAM scrubbed behind its start: %u blocks (2 MiB) by the "
		"boot CPU in %llu us, %u by the partition on first touch",
		PART_NAME_MAX, p->name, __atomic_load_n(&s->by_boot, __ATOMIC_RELAXED),
		(unsigned long long)(khz ? (arch_cycles() - t0) * 1000 / khz : 0),
		__atomic_load_n(&s->by_fault, __ATOMIC_RELAXED));
	/*
	 * Every unit is DONE and mapped: nothing is left to ask, so the exit
	 * paths (gmem_ptr on every guest page-table read of an MMIO emulation)
	 * stop asking. The state stays allocated: a CPU may still hold it.
	 */
	__atomic_store_n(&p->scrub, NULL, __ATOMIC_RELEASE);
}
