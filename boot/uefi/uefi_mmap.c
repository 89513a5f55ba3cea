// SPDX-License-Identifier: GPL-2.0-only
/* Turns the UEFI memory map into boot_info.mem[]: type conversion, sorting, merging. */
#include "uefi_mmap.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

#define MMAP_WARN_MAX 4 /* bad entries named one by one; the rest are counted */

uint32_t uefi_mem_type(uint32_t efi_type)
{
	switch (efi_type) {
	/* Boot services memory is free once ExitBootServices() has returned. */
	case UEFI_MT_CONVENTIONAL:
	case UEFI_MT_BS_CODE:
	case UEFI_MT_BS_DATA:
	case UEFI_MT_LOADER_CODE:
	case UEFI_MT_LOADER_DATA:
		return BOOT_MEM_RAM;
	case UEFI_MT_ACPI_RECLAIM:
		return BOOT_MEM_ACPI_RECLAIM;
	case UEFI_MT_ACPI_NVS:
		return BOOT_MEM_ACPI_NVS;
	case UEFI_MT_RT_CODE:
	case UEFI_MT_RT_DATA:
		return BOOT_MEM_FIRMWARE;
	case UEFI_MT_UNUSABLE:
		return BOOT_MEM_BAD;
	case UEFI_MT_PERSISTENT:
		return BOOT_MEM_PERSISTENT;
	default:
		/* Reserved, MMIO, port space, PAL code, unaccepted, OEM and OS types. */
		return BOOT_MEM_RESERVED;
	}
}

/* Inserts a range at its sorted place, merging it with a neighbour of its type it touches. */
static void mmap_add(struct boot_info *bi, uint64_t base, uint64_t size, uint32_t type)
{
	struct boot_mem_range *m = bi->mem;
	uint32_t n = bi->mem_count, i = n;

	/* Firmware maps are nearly sorted already, so look from the end. */
	while (i > 0 && m[i - 1].base > base)
		i--;
	if (i > 0 && m[i - 1].type == type && m[i - 1].base + m[i - 1].size == base) {
		m[i - 1].size += size;
		if (i < n && m[i].type == type && m[i - 1].base + m[i - 1].size == m[i].base) {
			m[i - 1].size += m[i].size;
			memmove(&m[i], &m[i + 1], (n - i - 1) * sizeof(*m));
			bi->mem_count--;
		}
		return;
	}
	if (i < n && m[i].type == type && base + size == m[i].base) {
		m[i].base = base;
		m[i].size += size;
		return;
	}
	if (n == BOOT_MEMMAP_MAX) {
		bi->flags |= BOOT_INFO_F_MEM_TRUNCATED;
		return;
	}
	memmove(&m[i + 1], &m[i], (n - i) * sizeof(*m));
	m[i] = (struct boot_mem_range){ .base = base, .size = size, .type = type };
	bi->mem_count++;
}

int uefi_mmap_convert(const void *map, size_t map_size, size_t desc_size, struct boot_info *bi)
{
	const uint8_t *p = map;
	size_t i, n, bad = 0;

	if (desc_size < sizeof(struct uefi_mem_desc)) {
		pr_err("uefi: memory map descriptor size %zu is below %zu", desc_size,
		       sizeof(struct uefi_mem_desc));
		return -HV_EINVAL;
	}
	n = map_size / desc_size;
	bi->mem_count = 0;
	bi->flags &= ~BOOT_INFO_F_MEM_TRUNCATED;
	bi->flags |= BOOT_INFO_F_EFI_MMAP;
	memset(bi->mem, 0, sizeof(bi->mem));
	for (i = 0; i < n; i++) {
		struct uefi_mem_desc d;
		uint64_t size;

		memcpy(&d, p + i * desc_size, sizeof(d));
		if (d.pages == 0)
			continue;
		size = d.pages << UEFI_PAGE_SHIFT;
		if (d.pages > (UINT64_MAX >> UEFI_PAGE_SHIFT) || size > UINT64_MAX - d.phys_start ||
		    (d.phys_start & ((1ULL << UEFI_PAGE_SHIFT) - 1))) {
			if (bad++ < MMAP_WARN_MAX)
				pr_warn("uefi: memory map entry %zu (type %u, 0x%llx pages at "
					"0x%llx) "
					"is unaligned or wraps; dropped",
					i, d.type, (unsigned long long)d.pages,
					(unsigned long long)d.phys_start);
			continue;
		}
		mmap_add(bi, d.phys_start, size, uefi_mem_type(d.type));
	}
	if (bad > MMAP_WARN_MAX)
		pr_warn("uefi: %zu more bad memory map entries dropped", bad - MMAP_WARN_MAX);
	if (bi->flags & BOOT_INFO_F_MEM_TRUNCATED)
		pr_warn("uefi: memory map has more than %u ranges; the rest are dropped",
			BOOT_MEMMAP_MAX);
	return 0;
}

/* A descriptor's range, or false when it has no pages or wraps. */
static bool mmap_desc(const uint8_t *p, size_t i, size_t desc_size, struct uefi_mem_desc *d,
		      uint64_t *end)
{
	memcpy(d, p + i * desc_size, sizeof(*d));
	if (d->pages == 0 || d->pages > (UINT64_MAX >> UEFI_PAGE_SHIFT) ||
	    (d->pages << UEFI_PAGE_SHIFT) > UINT64_MAX - d->phys_start)
		return false;
	*end = d->phys_start + (d->pages << UEFI_PAGE_SHIFT);
	return true;
}

bool uefi_mmap_find(const void *map, size_t map_size, size_t desc_size, uint64_t addr,
		    uint64_t *base, uint64_t *size, uint32_t *efi_type)
{
	size_t i, n;

	if (desc_size < sizeof(struct uefi_mem_desc))
		return false;
	n = map_size / desc_size;
	for (i = 0; i < n; i++) {
		struct uefi_mem_desc d;
		uint64_t end;

		if (!mmap_desc(map, i, desc_size, &d, &end))
			continue;
		if (addr >= d.phys_start && addr < end) {
			*base = d.phys_start;
			*size = end - d.phys_start;
			*efi_type = d.type;
			return true;
		}
	}
	return false;
}

static bool mmap_reusable_type(uint32_t type, bool loader_data)
{
	return type == UEFI_MT_CONVENTIONAL || type == UEFI_MT_BS_CODE || type == UEFI_MT_BS_DATA ||
	       (loader_data && type == UEFI_MT_LOADER_DATA);
}

int uefi_mmap_check_reusable(const void *map, size_t map_size, size_t desc_size, uint64_t base,
			     uint64_t size, bool loader_data)
{
	uint64_t cur = base, end = base + size;
	size_t i, n;

	if (desc_size < sizeof(struct uefi_mem_desc) || size > UINT64_MAX - base) {
		pr_err("uefi: cannot check 0x%llx (+0x%llx) against a map with descriptor size "
		       "%zu",
		       (unsigned long long)base, (unsigned long long)size, desc_size);
		return -HV_EINVAL;
	}
	n = map_size / desc_size;
	/* Each pass moves cur past one descriptor, so at most n + 1 passes. */
	while (cur < end) {
		bool found = false, other = false;
		uint32_t other_type = 0;

		for (i = 0; i < n && !found; i++) {
			struct uefi_mem_desc d;
			uint64_t dend;

			if (!mmap_desc(map, i, desc_size, &d, &dend) || cur < d.phys_start ||
			    cur >= dend)
				continue;
			if (mmap_reusable_type(d.type, loader_data)) {
				cur = MIN(dend, end);
				found = true;
			} else if (!other) {
				other = true;
				other_type = d.type;
			}
		}
		if (found)
			continue;
		if (other)
			pr_err("uefi: 0x%llx is firmware memory of EFI type %u, which outlives "
			       "ExitBootServices",
			       (unsigned long long)cur, other_type);
		else
			pr_err("uefi: 0x%llx is in no memory map entry", (unsigned long long)cur);
		return -HV_EBUSY;
	}
	return 0;
}
