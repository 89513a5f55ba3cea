/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine's physical memory map as the hypervisor keeps it: sorted,
 * non-overlapping ranges, each with one type. Built from the firmware's map
 * in struct boot_info, then carved: the hypervisor image, boot modules, the
 * boot information, the low 1 MiB, the hypervisor's page pool and (later)
 * partition memory are marked so nothing is handed out twice.
 */
#ifndef CORE_MEMMAP_H
#define CORE_MEMMAP_H

#include "core/boot_info.h"
#include "core/types.h"

#define MEMMAP_MAX 512

/* Types 1..7 are enum boot_mem_type (firmware's view); these are carved out. */
enum memmap_type {
	MEM_HV_IMAGE = 0x100,  /* the hypervisor's code and data */
	MEM_MODULE = 0x101,    /* a boot module (guest images, the table) */
	MEM_BOOTINFO = 0x102,  /* loader data still in use (MB2 info block) */
	MEM_LOWMEM = 0x103,    /* below 1 MiB: BIOS data, trampolines */
	MEM_HV_POOL = 0x104,   /* the hypervisor's page allocator pool */
	MEM_PARTITION = 0x105, /* owned by a partition */
};

struct mem_range {
	hpa_t base;
	uint64_t size;
	uint32_t type;
};

struct memmap {
	uint32_t count;
	struct mem_range r[MEMMAP_MAX];
};

/*
 * Builds *m from a firmware map: sorts it, drops empty ranges, and resolves
 * overlaps so that anything not RAM wins over RAM (a range both RAM and
 * reserved is reserved). Adjacent ranges of one type are merged. Returns 0 or
 * -HV_ENOSPC when the result would not fit in MEMMAP_MAX.
 */
int memmap_init(struct memmap *m, const struct boot_mem_range *in, uint32_t n);

/*
 * Marks [base, base + size) as type, splitting ranges as needed. Only RAM may
 * be carved; returns -HV_EINVAL if any part of the range is not RAM (or is
 * already carved), -HV_ENOSPC if the map is full, 0 on success.
 */
int memmap_carve(struct memmap *m, hpa_t base, uint64_t size, uint32_t type);

/* True when all of [base, base + size) has the given type. */
bool memmap_is_type(const struct memmap *m, hpa_t base, uint64_t size, uint32_t type);

/* The range containing addr, or NULL. */
const struct mem_range *memmap_lookup(const struct memmap *m, hpa_t addr);

/* Total bytes of ranges of the given type. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/*
 * Finds size bytes of RAM aligned to align, entirely below limit (exclusive,
 * 0 = no limit), preferring the highest such address. Returns the base, or 0
 * when nothing fits (page 0 is never returned).
 */
hpa_t memmap_find_ram(const struct memmap *m, uint64_t size, uint64_t align, hpa_t limit);

/* A short name for a type: "RAM", "reserved", "ACPI", "hv-image", ... */
const char *memmap_type_name(uint32_t type);

#endif
