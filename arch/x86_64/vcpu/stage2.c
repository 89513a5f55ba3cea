// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 (NPT/EPT) tables of a partition: a 4-level radix tree from the
 * hypervisor's pool, mapping each table region guest-physical to
 * host-physical with the largest page the region allows (1 GiB, 2 MiB, 4 KiB;
 * BH_MEM_NO_HUGEPAGES forces 4 KiB). The entry format comes from the vendor.
 */
#include <bulkhead/table.h>

#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"
#include "core/scrub.h"

#define S2_ADDR		0x000ffffffffff000ULL
#define S2_PRESENT_MASK 0x7ULL /* NPT: P/RW/US; EPT: R/W/X */

/* Returns the table one level down from entry, allocating it when alloc says so. */
static uint64_t *s2_next(uint64_t *entry, const struct vcpu_ops *ops, bool alloc)
{
	hpa_t t;

	if (*entry & S2_PRESENT_MASK)
		return (uint64_t *)(uintptr_t)(*entry & S2_ADDR);
	if (!alloc)
		return NULL;
	t = palloc_alloc(1, 1);
	if (!t)
		return NULL;
	*entry = ops->s2_table(t);
	return (uint64_t *)(uintptr_t)t;
}

/* Executable memory the back end maps in 4 KiB leaves only (CVE-2018-12207 on Intel). */
static bool s2_exec_small(const struct vcpu_ops *ops, uint32_t flags)
{
	return (flags & BH_MEM_EXEC) && ops->s2_exec_4k && ops->s2_exec_4k();
}

/* The largest leaf for gpa/hpa with left bytes to go: 2 = 1 GiB, 1 = 2 MiB, 0 = 4 KiB. */
static unsigned s2_level(gpa_t gpa, hpa_t hpa, uint64_t left, bool huge_ok, bool gb)
{
	if (huge_ok && gb && IS_ALIGNED(gpa | hpa, SZ_1G) && left >= SZ_1G)
		return 2;
	if (huge_ok && IS_ALIGNED(gpa | hpa, SZ_2M) && left >= SZ_2M)
		return 1;
	return 0;
}

/*
 * Maps region r. Consecutive leaves of one size that land in the same table
 * are written in one pass (a large MMIO window is hundreds of thousands of
 * 2 MiB leaves), with the entry format computed once: a leaf is its address
 * ORed with the attributes the back end gives for address 0 (NPT and EPT
 * alike; checked for the first leaf of each run).
 * At build time (build: tables are allocated, leaves counted), a leaf whose
 * RAM is not scrubbed yet (core/scrub.h) is left out, its tables made: the
 * scrub writes it later through s2_map again, which then allocates nothing.
 */
static int s2_map(struct partition *p, const struct part_region *r, const struct vcpu_ops *ops,
		  bool gb, bool build)
{
	struct x86_part *xp = p->arch;
	bool huge_ok = !(r->flags & BH_MEM_NO_HUGEPAGES) && !s2_exec_small(ops, r->flags);
	/* only RAM is scrubbed: an MMIO window of 500,000 leaves asks nothing */
	bool ask = build && p->scrub && !(r->flags & (BH_MEM_IO | BH_MEM_SHARED));
	uint64_t off = 0;

	while (off < r->size) {
		gpa_t gpa = r->gpa + off;
		hpa_t hpa = r->hpa + off;
		unsigned level = s2_level(gpa, hpa, r->size - off, huge_ok, gb);
		uint64_t size = level == 2 ? SZ_1G : level == 1 ? SZ_2M : PAGE_SIZE;
		uint64_t attrs = ops->s2_leaf(0, r->flags, level);
		uint64_t *t = (uint64_t *)(uintptr_t)xp->stage2_root;
		unsigned idx;

		if (ops->s2_leaf(hpa, r->flags, level) != (hpa | attrs))
			return -HV_EINVAL; /* a format that is not address | attributes */
		t = s2_next(&t[(gpa >> 39) & 511], ops, build);
		if (t && level < 2)
			t = s2_next(&t[(gpa >> 30) & 511], ops, build);
		if (t && level < 1)
			t = s2_next(&t[(gpa >> 21) & 511], ops, build);
		if (!t)
			return build ? -HV_ENOMEM : -HV_EINVAL;
		idx = (unsigned)(gpa >> (12 + 9 * level)) & 511;
		do {
			if (!ask || part_scrub_done(p, gpa))
				__atomic_store_n(&t[idx], hpa | attrs, __ATOMIC_RELEASE);
			idx++;
			if (build)
				xp->stage2_pages[level]++;
			off += size;
			gpa += size;
			hpa += size;
		} while (idx < 512 && off < r->size &&
			 s2_level(gpa, hpa, r->size - off, huge_ok, gb) == level);
	}
	return 0;
}

int stage2_build(struct partition *p)
{
	struct x86_part *xp = p->arch;
	const struct vcpu_ops *ops = vcpu_backend;
	bool gb = ops->s2_max_level() >= 2;
	bool exec_small = false;
	int rc;

	xp->stage2_root = palloc_alloc(1, 1);
	if (!xp->stage2_root)
		return -HV_ENOMEM;
	for (uint32_t i = 0; i < p->region_count; i++) {
		rc = s2_map(p, &p->regions[i], ops, gb, true);
		if (rc < 0)
			return rc;
		if (s2_exec_small(ops, p->regions[i].flags) &&
		    !(p->regions[i].flags & BH_MEM_NO_HUGEPAGES))
			exec_small = true;
	}
	pr_info("partition \"%s\": stage-2 %s tables, %llu x 1 GiB, %llu x 2 MiB, %llu x 4 KiB "
		"pages",
		p->name, ops->s2_name, (unsigned long long)xp->stage2_pages[2],
		(unsigned long long)xp->stage2_pages[1], (unsigned long long)xp->stage2_pages[0]);
	if (exec_small)
		pr_info("partition \"%s\": executable memory in 4 KiB %s pages (CVE-2018-12207: "
			"the CPU may machine-check on a page-size change)",
			p->name, ops->s2_name);
	return 0;
}

int arch_part_s2_map(struct partition *p, gpa_t gpa, uint64_t size)
{
	const struct part_region *r = part_region_of(p, gpa);
	struct part_region piece;

	if (!r || !size || size > r->size - (gpa - r->gpa))
		return -HV_EINVAL;
	piece = (struct part_region){
		.gpa = gpa, .hpa = r->hpa + (gpa - r->gpa), .size = size, .flags = r->flags
	};
	/*
	 * The leaves the build chose for this piece (deferred regions are under
	 * 1 GiB: never a 1 GiB leaf); no stage-2 TLB flush, as a CPU caches no
	 * entry that was not present.
	 */
	return s2_map(p, &piece, vcpu_backend, false, false);
}

/* Replaces the huge leaf *e (level 1 or 2) by a table of the next smaller leaves. */
static int s2_split(uint64_t *e, gpa_t base, unsigned level, const struct part_region *r,
		    const struct vcpu_ops *ops)
{
	hpa_t t = palloc_alloc(1, 1);
	uint64_t *nt = (uint64_t *)(uintptr_t)t;
	uint64_t step = level == 2 ? SZ_2M : PAGE_SIZE;

	if (!t)
		return -HV_ENOMEM;
	for (unsigned i = 0; i < 512; i++)
		nt[i] = ops->s2_leaf(r->hpa + (base - r->gpa) + i * step, r->flags, level - 1);
	*e = ops->s2_table(t);
	return 0;
}

/*
 * The 4 KiB stage-2 entry of gpa (a huge leaf above it split down), NULL when
 * gpa is not mapped (*r: its region, NULL when it has none). Before the
 * partition runs.
 */
static uint64_t *s2_page_entry(struct partition *p, gpa_t gpa, const struct part_region **rp,
			       int *rc)
{
	const struct vcpu_ops *ops = vcpu_backend;
	struct x86_part *xp = p->arch;
	const struct part_region *r = part_region_of(p, gpa);
	uint64_t *t = (uint64_t *)(uintptr_t)xp->stage2_root;

	*rp = r;
	*rc = 0;
	if (!r)
		return NULL; /* not mapped at all */
	for (unsigned level = 3; level > 0; level--) {
		uint64_t *e = &t[(gpa >> (12 + 9 * level)) & 511];
		gpa_t base = gpa & ~((1ULL << (12 + 9 * level)) - 1);

		if (!(*e & S2_PRESENT_MASK))
			return NULL;
		/* a huge leaf (PS bit 7, NPT and EPT alike) is split down to 4 KiB */
		if (level < 3 && (*e & (1ULL << 7))) {
			if (base < r->gpa || base + (1ULL << (12 + 9 * level)) > r->gpa + r->size) {
				*rc = -HV_EINVAL;
				return NULL;
			}
			if (s2_split(e, base, level, r, ops) < 0) {
				*rc = -HV_ENOMEM;
				return NULL;
			}
		}
		t = (uint64_t *)(uintptr_t)(*e & S2_ADDR);
	}
	return &t[(gpa >> 12) & 511];
}

int stage2_unmap_page(struct partition *p, gpa_t gpa)
{
	const struct part_region *r;
	int rc;
	uint64_t *e = s2_page_entry(p, gpa, &r, &rc);

	if (e)
		*e = 0;
	return rc;
}

int stage2_protect_page(struct partition *p, gpa_t gpa)
{
	const struct part_region *r;
	int rc;
	uint64_t *e = s2_page_entry(p, gpa, &r, &rc);

	if (!e)
		return rc ? rc : -HV_ENOENT;
	*e = vcpu_backend->s2_leaf(r->hpa + ((gpa & ~(gpa_t)0xfff) - r->gpa),
				   r->flags & ~BH_MEM_WRITE, 0);
	return 0;
}
