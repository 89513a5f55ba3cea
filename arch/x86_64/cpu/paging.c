// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's own page tables: an identity map of the first 4 GiB and of
 * all RAM and firmware memory above, 2 MiB pages below 4 GiB and
 * 1 GiB pages above where the CPU has them. Single 4 KiB pages are unmapped
 * for stack guards. Built once at boot by the boot CPU.
 */
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "cpu/cpu.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

/* Intel SDM vol. 3A, 4.5 (4-level paging) */
#define PTE_P	      (1ULL << 0)
#define PTE_W	      (1ULL << 1)
#define PTE_PWT	      (1ULL << 3)
#define PTE_PCD	      (1ULL << 4)
#define PTE_PS	      (1ULL << 7)
#define PTE_NX	      (1ULL << 63)
#define PTE_ADDR      0x000ffffffffff000ULL
#define PT_ENTRIES    512
#define SZ_512G	      (512ULL << 30)
#define MAP_TOP_LIMIT (1ULL << 46) /* 64 TiB: far beyond any memory map we accept */

static uint64_t *pml4;
static uint64_t mapped_top;
static uint64_t nx; /* PTE_NX when the CPU has it: data and guest memory are not executable */

/* the image's sections (hv.ld) */
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static uint64_t *table_alloc(void)
{
	return (uint64_t *)(uintptr_t)palloc_alloc(1, 1);
}

static uint64_t *next_table(uint64_t *entry)
{
	uint64_t *t;

	if (*entry & PTE_P)
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
	t = table_alloc();
	if (t)
		*entry = (uintptr_t)t | PTE_P | PTE_W;
	return t;
}

/* After a change at va; a split 2 MiB mapping may be cached as a large page. */
static void flush(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
	if (read_cr3() == (uintptr_t)pml4)
		write_cr3((uintptr_t)pml4);
}

/* The 4 KiB entry of va, splitting a 2 MiB leaf (its pages keep its flags); NULL on failure. */
static uint64_t *pte_of(uint64_t va)
{
	uint64_t *e = &pml4[(va >> 39) & 511], *pt;

	if (!(*e & PTE_P))
		return NULL;
	e = &((uint64_t *)(uintptr_t)(*e & PTE_ADDR))[(va >> 30) & 511];
	if (!(*e & PTE_P) || (*e & PTE_PS))
		return NULL; /* only memory below 4 GiB, mapped with 2 MiB pages, is split */
	e = &((uint64_t *)(uintptr_t)(*e & PTE_ADDR))[(va >> 21) & 511];
	if (!(*e & PTE_P))
		return NULL;
	if (*e & PTE_PS) {
		uint64_t base = *e & PTE_ADDR & ~(SZ_2M - 1), flags = *e & (PTE_W | PTE_NX);

		pt = table_alloc();
		if (!pt)
			return NULL;
		for (unsigned j = 0; j < PT_ENTRIES; j++)
			pt[j] = (base + j * PAGE_SIZE) | PTE_P | flags;
		*e = (uintptr_t)pt | PTE_P | PTE_W;
	} else {
		pt = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	}
	return &pt[(va >> 12) & 511];
}

/*
 * W^X for the hypervisor's image: code read-only and executable, read-only
 * data read-only, everything else (data, stacks, the pool, guest memory)
 * writable and not executable. The first 2 MiB keep the firmware's
 * execute permission for the AP start-up page (paging_set_exec).
 */
static int protect_image(void)
{
	uint64_t *e;

	for (uint64_t va = (uintptr_t)__image_start; va < (uintptr_t)__image_end; va += PAGE_SIZE) {
		e = pte_of(va);
		if (!e)
			return -HV_ENOMEM;
		if (va < (uintptr_t)__text_end)
			*e = va | PTE_P; /* code */
		else if (va < (uintptr_t)__rodata_end)
			*e = va | PTE_P | nx; /* read-only data */
		else
			*e = va | PTE_P | PTE_W | nx;
	}
	return 0;
}

int paging_set_exec(uint64_t va, bool exec)
{
	uint64_t *e = pte_of(va);

	if (!e)
		return -HV_EINVAL;
	*e = exec ? *e & ~PTE_NX : *e | nx;
	flush(va);
	return 0;
}

bool paging_nx(void)
{
	return nx != 0;
}

int paging_init(const struct memmap *mm)
{
	uint32_t a, b, c, d;
	uint64_t top = 4 * SZ_1G;
	bool gb_pages = false;
	unsigned tables = 0;

	/* Reserved ranges above 4 GiB are device windows the hypervisor never touches. */
	for (uint32_t i = 0; i < mm->count; i++)
		if (mm->r[i].type != BOOT_MEM_RESERVED)
			top = MAX(top, mm->r[i].base + mm->r[i].size);
	if (top > MAP_TOP_LIMIT) {
		pr_warn("paging: memory map reaches 0x%llx; mapping only up to 0x%llx",
			(unsigned long long)top, (unsigned long long)MAP_TOP_LIMIT);
		top = MAP_TOP_LIMIT;
	}
	top = ALIGN_UP(top, SZ_1G);
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		gb_pages = !!(d & CPUID81_EDX_PDPE1GB);
		nx = (d & CPUID81_EDX_NX) ? PTE_NX : 0;
	}
	if (nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE); /* before any NX entry is used */
	pml4 = table_alloc();
	if (!pml4)
		return -HV_ENOMEM;
	tables++;
	for (uint64_t addr = 0; addr < top; addr += SZ_1G) {
		uint64_t *pdpt = next_table(&pml4[(addr >> 39) & 511]);
		uint64_t *pd;

		if (!pdpt)
			return -HV_ENOMEM;
		if (addr % SZ_512G == 0)
			tables++;
		if (gb_pages && addr >= 4 * SZ_1G) {
			pdpt[(addr >> 30) & 511] = addr | PTE_P | PTE_W | PTE_PS | nx;
			continue;
		}
		pd = next_table(&pdpt[(addr >> 30) & 511]);
		if (!pd)
			return -HV_ENOMEM;
		tables++;
		for (unsigned j = 0; j < PT_ENTRIES; j++)
			pd[j] = (addr + j * SZ_2M) | PTE_P | PTE_W | PTE_PS | nx;
	}
	mapped_top = top;
	if (protect_image() < 0)
		return -HV_ENOMEM;
	write_cr3((uintptr_t)pml4);
	pr_info("paging: identity map 0-0x%llx, %u table pages, %s pages above 4 GiB; %s",
		(unsigned long long)top, tables, gb_pages ? "1 GiB" : "2 MiB",
		nx ? "image W^X (code read-only, nothing else executable)"
		   : "no NX on this CPU: code is read-only, data stays executable");
	return 0;
}

uint64_t paging_cr3(void)
{
	return (uintptr_t)pml4;
}

uint64_t paging_mapped_top(void)
{
	return mapped_top;
}

/*
 * Device registers above the identity map (a 64-bit BAR's MSI-X table, an
 * MCFG window high in the address space) get identity-mapped 2 MiB pages,
 * uncached (PCD | PWT) and not executable, before the hypervisor touches
 * them: a guest-reachable access path must never fault in the host. Below
 * mapped_top everything is mapped already. Boot CPU, before or while
 * guests run (new entries only fill non-present slots: nothing to flush).
 */
int paging_map_device(uint64_t base, uint64_t size)
{
	uint64_t end;

	if (!pml4 || !size || base + size < base || base + size > MAP_TOP_LIMIT)
		return -HV_ERANGE;
	end = ALIGN_UP(base + size, SZ_2M);
	for (uint64_t a = ALIGN_DOWN(base, SZ_2M); a < end; a += SZ_2M) {
		uint64_t *pdpt, *pdpte, *pd;

		if (a < mapped_top)
			continue;
		pdpt = next_table(&pml4[(a >> 39) & 511]);
		if (!pdpt)
			return -HV_ENOMEM;
		pdpte = &pdpt[(a >> 30) & 511];
		if ((*pdpte & PTE_P) && (*pdpte & PTE_PS))
			continue; /* a 1 GiB leaf already maps it */
		pd = next_table(pdpte);
		if (!pd)
			return -HV_ENOMEM;
		if (!(pd[(a >> 21) & 511] & PTE_P))
			pd[(a >> 21) & 511] = a | PTE_P | PTE_W | PTE_PS | PTE_PWT | PTE_PCD | nx;
	}
	return 0;
}

int paging_unmap_page(uint64_t va)
{
	uint64_t *e;

	if (!pml4 || va >= mapped_top)
		return -HV_EINVAL;
	e = pte_of(va); /* guard pages live below 4 GiB, in 2 MiB-mapped memory */
	if (!e)
		return -HV_EINVAL;
	*e = 0;
	flush(va);
	return 0;
}
