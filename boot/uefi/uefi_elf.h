/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of the hypervisor's ELF64 image for the UEFI loader: plain C on
 * a byte buffer, so it also builds for the host (unit tests, fuzzer).
 */
#ifndef BOOT_UEFI_ELF_H
#define BOOT_UEFI_ELF_H

#include "core/types.h"

#define UEFI_ELF_SEGMENTS_MAX 16
/* x86-64 physical addresses have at most 52 bits (SDM Vol. 3A, 4.1.4: MAXPHYADDR). */
#define UEFI_ELF_PHYS_LIMIT (1ULL << 52)

/* One PT_LOAD segment: file bytes [offset, offset + filesz) go to paddr, the rest is zeroed. */
struct uefi_elf_segment {
	uint64_t paddr;
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
};

struct uefi_elf_image {
	uint64_t entry;	     /* physical address of e_entry */
	uint64_t phys_start; /* lowest PT_LOAD physical address */
	uint64_t phys_end;   /* end (exclusive) of the highest PT_LOAD */
	uint32_t count;
	struct uefi_elf_segment seg[UEFI_ELF_SEGMENTS_MAX]; /* sorted by paddr, disjoint */
};

/*
 * Checks that file[size] is an x86_64 ELF64 ET_EXEC image whose program
 * headers and PT_LOAD segments all lie within the file and within physical
 * address space, do not overlap, and whose entry point lies in one of them.
 * Fills *img (segments sorted by physical address; e_entry translated to
 * physical through its segment). Returns 0, or -HV_ENOEXEC after logging one
 * line that names what is wrong and the offending value.
 */
int uefi_elf_check(const void *file, size_t size, struct uefi_elf_image *img);

#endif
