// SPDX-License-Identifier: GPL-2.0-only
/* Guest page-table walker: guest-virtual to guest-physical in every x86 paging mode. */
#include "vcpu/guest_walk.h"
#include "arch/x86.h"
#include "core/errno.h"

/*
 * The tables are guest memory and the guest may change them under our feet:
 * every entry is read once, through rd (which bounds it to guest memory), and
 * the walk has a fixed number of levels, so no table can make it loop or read
 * outside the guest. Reserved bits are not checked; a table the CPU would
 * refuse only makes this walk read some other guest page.
 */

/* Control-register bits this walk needs beyond arch/x86.h (SDM vol. 3A, 2.5; APM vol. 2, 3.1.7) */
#ifndef CR4_PSE
#define CR4_PSE (1ULL << 4)
#endif
#ifndef CR4_LA57
#define CR4_LA57 (1ULL << 12)
#endif
#ifndef EFER_LMA
#define EFER_LMA (1ULL << 10)
#endif

/* Paging-structure entries, SDM vol. 3A, 4.3 (32-bit), 4.4 (PAE), 4.5 (4/5-level) */
#define PTE_P	   (1ULL << 0)
#define PTE_PS	   (1ULL << 7)
#define MAXPHYADDR 52
/* address bits 51:12 of an entry */
#define ADDR_MASK (((1ULL << MAXPHYADDR) - 1) & PAGE_MASK)

#define LEVEL_BITS	9 /* 512 entries per 64-bit table */
#define LEVEL_1G	3 /* PDPTE with PS: 1 GiB page */
#define LEVEL_2M	2 /* PDE with PS: 2 MiB page */
#define LEVELS_4	4
#define LEVELS_5	5
#define CANON_BITS_4	48 /* linear-address width, 4-level paging */
#define CANON_BITS_5	57 /* ... and 5-level paging */
#define LINEAR32_MASK	0xffffffffULL
#define PAE_CR3_MASK	0xffffffe0ULL /* PAE CR3: PDPT at bits 31:5, SDM vol. 3A, table 4-7 */
#define PAE_PDPT_SHIFT	30
#define PAE_PDPT_MASK	3ULL
#define PG32_CR3_MASK	0xfffff000ULL
#define PG32_ADDR_MASK	0xfffff000ULL
#define PG32_PD_SHIFT	22
#define PG32_PT_SHIFT	12
#define PG32_INDEX_MASK 0x3ffULL
#define PG32_4M_LOW	0xffc00000ULL /* 4M PDE bits 31:22: address bits 31:22 */
#define PG32_4M_HIGH	0x001fe000ULL /* PSE-36: PDE bits 20:13 are address bits 39:32 */
#define PG32_4M_HSHIFT	(32 - 13)
#define PG32_4M_SIZE	(1ULL << PG32_PD_SHIFT)

/* Reads one little-endian entry of width bytes (4 or 8). */
static int read_entry(gpa_read_fn rd, void *ctx, uint64_t gpa, unsigned width, uint64_t *e)
{
	uint8_t b[8];
	uint64_t v = 0;

	if (rd(ctx, gpa, b, width))
		return -HV_EFAULT;
	for (unsigned i = 0; i < width; i++)
		v |= (uint64_t)b[i] << (8 * i);
	*e = v;
	return 0;
}

/* Walks 64-bit-entry tables from level top down to 1 (4K), allowing 1G and 2M leaves. */
static int walk64(uint64_t table, uint64_t gva, unsigned top, gpa_read_fn rd, void *ctx,
		  uint64_t *gpa)
{
	for (unsigned level = top; level >= 1; level--) {
		unsigned shift = PAGE_SHIFT + LEVEL_BITS * (level - 1);
		uint64_t idx = (gva >> shift) & ((1ULL << LEVEL_BITS) - 1), e;

		if (read_entry(rd, ctx, table + idx * 8, 8, &e))
			return -HV_EFAULT;
		if (!(e & PTE_P))
			return -HV_EFAULT;
		if (level == 1 || ((level == LEVEL_2M || level == LEVEL_1G) && (e & PTE_PS))) {
			uint64_t page = 1ULL << shift;

			*gpa = (e & ADDR_MASK & ~(page - 1)) | (gva & (page - 1));
			return 0;
		}
		table = e & ADDR_MASK;
	}
	return -HV_EFAULT; /* not reached: level 1 always ends the walk */
}

static int walk_pae(const struct guest_paging *pg, uint64_t gva, gpa_read_fn rd, void *ctx,
		    uint64_t *gpa)
{
	uint64_t pdpte, idx;

	gva &= LINEAR32_MASK;
	idx = (gva >> PAE_PDPT_SHIFT) & PAE_PDPT_MASK;
	/*
	 * The CPU caches the four PDPTEs at MOV CR3; reading them again differs
	 * only for a guest that rewrote them since.
	 */
	if (read_entry(rd, ctx, (pg->cr3 & PAE_CR3_MASK) + idx * 8, 8, &pdpte))
		return -HV_EFAULT;
	if (!(pdpte & PTE_P))
		return -HV_EFAULT;
	return walk64(pdpte & ADDR_MASK, gva, LEVEL_2M, rd, ctx, gpa);
}

static int walk_32(const struct guest_paging *pg, uint64_t gva, gpa_read_fn rd, void *ctx,
		   uint64_t *gpa)
{
	uint64_t pde, pte;

	gva &= LINEAR32_MASK;
	if (read_entry(rd, ctx, (pg->cr3 & PG32_CR3_MASK) + ((gva >> PG32_PD_SHIFT) * 4), 4, &pde))
		return -HV_EFAULT;
	if (!(pde & PTE_P))
		return -HV_EFAULT;
	if ((pde & PTE_PS) && (pg->cr4 & CR4_PSE)) {
		uint64_t base = (pde & PG32_4M_LOW) | (pde & PG32_4M_HIGH) << PG32_4M_HSHIFT;

		*gpa = base | (gva & (PG32_4M_SIZE - 1));
		return 0;
	}
	if (read_entry(rd, ctx,
		       (pde & PG32_ADDR_MASK) + ((gva >> PG32_PT_SHIFT) & PG32_INDEX_MASK) * 4, 4,
		       &pte))
		return -HV_EFAULT;
	if (!(pte & PTE_P))
		return -HV_EFAULT;
	*gpa = (pte & PG32_ADDR_MASK) | (gva & (PAGE_SIZE - 1));
	return 0;
}

static bool canonical(uint64_t gva, unsigned bits)
{
	uint64_t top = gva >> (bits - 1);

	return top == 0 || top == (~0ULL >> (bits - 1));
}

int guest_walk(const struct guest_paging *pg, uint64_t gva, gpa_read_fn rd, void *ctx,
	       uint64_t *gpa)
{
	bool long_mode;
	unsigned levels;

	if (!(pg->cr0 & CR0_PG)) {
		/* no paging: the 32-bit linear address is the physical one */
		*gpa = gva & LINEAR32_MASK;
		return 0;
	}
	long_mode = (pg->efer & EFER_LMA) || (pg->efer & EFER_LME);
	if (!long_mode) {
		if (pg->cr4 & CR4_PAE)
			return walk_pae(pg, gva, rd, ctx, gpa);
		return walk_32(pg, gva, rd, ctx, gpa);
	}
	/* long mode without PAE cannot be entered (#GP on MOV CR0): a state we do not understand */
	if (!(pg->cr4 & CR4_PAE))
		return -HV_EFAULT;
	levels = pg->cr4 & CR4_LA57 ? LEVELS_5 : LEVELS_4;
	if (!canonical(gva, levels == LEVELS_5 ? CANON_BITS_5 : CANON_BITS_4))
		return -HV_EFAULT;
	return walk64(pg->cr3 & ADDR_MASK, gva, levels, rd, ctx, gpa);
}

size_t guest_fetch_insn(const struct guest_paging *pg, uint64_t gva, gpa_read_fn rd, void *ctx,
			uint8_t out[GUEST_FETCH_MAX])
{
	size_t got = 0;

	/* each pass takes at least one byte or stops: two passes at most for 15 bytes */
	while (got < GUEST_FETCH_MAX) {
		uint64_t va = gva + got, pa;
		size_t chunk = MIN(GUEST_FETCH_MAX - got, (size_t)(PAGE_SIZE - (va & ~PAGE_MASK)));

		if (guest_walk(pg, va, rd, ctx, &pa))
			break;
		if (rd(ctx, pa, out + got, chunk))
			break;
		got += chunk;
	}
	return got;
}
