/* SPDX-License-Identifier: GPL-2.0-only */
/* ELF64 executable images (guest images from boot modules): checked parsing and loading. */
#ifndef CORE_ELF_H
#define CORE_ELF_H

#include "core/types.h"

#define ELF_SEGMENTS_MAX    16
#define ELF_MACHINE_X86_64  62
#define ELF_MACHINE_AARCH64 183

struct elf_segment {
	uint64_t paddr; /* load address: guest-physical */
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
	uint32_t flags; /* PF_X 1, PF_W 2, PF_R 4 */
};

struct elf_info {
	uint64_t entry;
	uint32_t seg_count;
	struct elf_segment seg[ELF_SEGMENTS_MAX];
};

/*
 * Checks an ELF64 little-endian ET_EXEC image for the given machine: header
 * and program header table inside the image, PT_LOAD segments with
 * filesz <= memsz, file ranges inside the image, no address overflow, no two
 * segments overlapping, entry inside an executable segment. Returns 0 or a
 * negative HV_E* after one log line naming the field and value.
 */
int elf64_parse(const void *img, size_t len, uint16_t machine, struct elf_info *out);

#endif
