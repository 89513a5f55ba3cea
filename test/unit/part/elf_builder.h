/* SPDX-License-Identifier: GPL-2.0-only */
/* Builds small ELF64 executables in memory for the ELF parser and loader tests. */
#ifndef TEST_ELF_BUILDER_H
#define TEST_ELF_BUILDER_H

#include <elf.h>
#include <string.h>

#include "core/types.h"

struct eb_seg {
	uint32_t type; /* 0 means PT_LOAD */
	uint32_t flags;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
};

/* File bytes of segment i are (i << 4) + (offset in the segment) truncated to a byte. */
static inline uint8_t eb_byte(unsigned seg, uint64_t off)
{
	return (uint8_t)((seg << 4) + off);
}

/*
 * Writes an ELF64 little-endian ET_EXEC image to buf: header, program headers
 * right after it, then each segment's file bytes (16-byte aligned). Returns
 * the image length, or 0 when cap is too small.
 */
static inline size_t eb_build(uint8_t *buf, size_t cap, uint16_t machine, uint64_t entry,
			      const struct eb_seg *segs, unsigned n)
{
	Elf64_Ehdr eh;
	size_t off = sizeof(Elf64_Ehdr) + n * sizeof(Elf64_Phdr);

	if (off > cap)
		return 0;
	memset(buf, 0, cap);
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (uint16_t)n;
	memcpy(buf, &eh, sizeof(eh));
	for (unsigned i = 0; i < n; i++) {
		Elf64_Phdr ph;

		off = ALIGN_UP(off, 16);
		memset(&ph, 0, sizeof(ph));
		ph.p_type = segs[i].type ? segs[i].type : PT_LOAD;
		ph.p_flags = segs[i].flags;
		ph.p_offset = off;
		ph.p_vaddr = segs[i].paddr;
		ph.p_paddr = segs[i].paddr;
		ph.p_filesz = segs[i].filesz;
		ph.p_memsz = segs[i].memsz;
		ph.p_align = 16;
		if (off + segs[i].filesz > cap)
			return 0;
		for (uint64_t k = 0; k < segs[i].filesz; k++)
			buf[off + k] = eb_byte(i, k);
		off += segs[i].filesz;
		memcpy(buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr), &ph, sizeof(ph));
	}
	return off;
}

static inline Elf64_Ehdr *eb_ehdr(uint8_t *buf)
{
	return (Elf64_Ehdr *)buf;
}

static inline Elf64_Phdr *eb_phdr(uint8_t *buf, unsigned i)
{
	return (Elf64_Phdr *)(buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr));
}

#endif
