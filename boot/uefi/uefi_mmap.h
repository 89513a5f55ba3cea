/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Conversion of a UEFI memory map (GetMemoryMap()) into boot_info.mem[]: plain
 * C on a byte buffer, so it also builds for the host (unit tests, fuzzer).
 */
#ifndef BOOT_UEFI_MMAP_H
#define BOOT_UEFI_MMAP_H

#include "core/boot_info.h"
#include "core/types.h"

/* EFI_MEMORY_TYPE (UEFI 2.10, 7.2.1 AllocatePages()). */
#define UEFI_MT_RESERVED       0
#define UEFI_MT_LOADER_CODE    1
#define UEFI_MT_LOADER_DATA    2
#define UEFI_MT_BS_CODE	       3
#define UEFI_MT_BS_DATA	       4
#define UEFI_MT_RT_CODE	       5
#define UEFI_MT_RT_DATA	       6
#define UEFI_MT_CONVENTIONAL   7
#define UEFI_MT_UNUSABLE       8
#define UEFI_MT_ACPI_RECLAIM   9
#define UEFI_MT_ACPI_NVS       10
#define UEFI_MT_MMIO	       11
#define UEFI_MT_MMIO_PORT      12
#define UEFI_MT_PAL_CODE       13
#define UEFI_MT_PERSISTENT     14
#define UEFI_PAGE_SHIFT	       12
#define UEFI_MEM_DESC_MIN_SIZE 40

/*
 * EFI_MEMORY_DESCRIPTOR (UEFI 2.10, 7.2.3 GetMemoryMap()). Firmware may use a
 * larger descriptor_size than this; entries are descriptor_size apart.
 */
struct uefi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t pages;
	uint64_t attr;
};

_Static_assert(sizeof(struct uefi_mem_desc) == UEFI_MEM_DESC_MIN_SIZE, "EFI descriptor layout");

/* The enum boot_mem_type for an EFI memory type. */
uint32_t uefi_mem_type(uint32_t efi_type);

/*
 * Replaces bi->mem[] with the map's ranges: converted, sorted by base, and
 * with adjacent ranges of one type merged; sets BOOT_INFO_F_EFI_MMAP, and
 * BOOT_INFO_F_MEM_TRUNCATED when more than BOOT_MEMMAP_MAX ranges remain.
 * Entries with no pages are dropped; entries that are not page-aligned or
 * run past 2^64 are dropped with a warning. Allocates nothing, so the loader
 * can call it between GetMemoryMap() and ExitBootServices() (with its console
 * sink silenced then: the firmware console may allocate memory). Returns 0,
 * or -HV_EINVAL after logging when desc_size is below the descriptor's size.
 */
int uefi_mmap_convert(const void *map, size_t map_size, size_t desc_size, struct boot_info *bi);

/*
 * Finds the descriptor containing addr; fills *base, *size and *efi_type.
 * Returns false when no descriptor (or one with a bad size) contains it.
 */
bool uefi_mmap_find(const void *map, size_t map_size, size_t desc_size, uint64_t addr,
		    uint64_t *base, uint64_t *size, uint32_t *efi_type);

/*
 * Checks that all of [base, base + size) lies in memory that the firmware
 * gives up at ExitBootServices() (conventional, boot services code and data)
 * or, when loader_data is set, in EfiLoaderData (what the loader itself
 * claimed). Returns 0, or -HV_EBUSY after logging the first address that is
 * not, with its EFI type (or that no descriptor covers it).
 */
int uefi_mmap_check_reusable(const void *map, size_t map_size, size_t desc_size, uint64_t base,
			     uint64_t size, bool loader_data);

#endif
