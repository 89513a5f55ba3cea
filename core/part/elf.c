// SPDX-License-Identifier: GPL-2.0-only
/* ELF64 executable parsing: every header field a loader relies on is checked against the image. */
#include "core/elf.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"

/*
 * Layout of the ELF64 file header and program header (System V ABI, "ELF-64
 * Object File Format" version 1.5, sections 3 and 6). The fields are read with
 * memcpy at these offsets because a boot module need not be aligned.
 */
#define EHDR_SIZE      64
#define EH_IDENT_CLASS 4
#define EH_IDENT_DATA  5
#define EH_IDENT_VER   6
#define EH_TYPE	       16 /* u16 */
#define EH_MACHINE     18 /* u16 */
#define EH_VERSION     20 /* u32 */
#define EH_ENTRY       24 /* u64 */
#define EH_PHOFF       32 /* u64 */
#define EH_PHENTSIZE   54 /* u16 */
#define EH_PHNUM       56 /* u16 */
#define PHDR_SIZE      56
#define PH_TYPE	       0  /* u32 */
#define PH_FLAGS       4  /* u32 */
#define PH_OFFSET      8  /* u64 */
#define PH_PADDR       24 /* u64 */
#define PH_FILESZ      32 /* u64 */
#define PH_MEMSZ       40 /* u64 */
#define ELFCLASS64     2
#define ELFDATA2LSB    1
#define EV_CURRENT     1
#define ET_EXEC	       2
#define PT_LOAD	       1
#define PF_X	       1
#define ELF_PHNUM_MAX  64 /* ours: real images have a handful */

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int elf64_check_header(const uint8_t *b, size_t len, uint16_t machine)
{
	uint16_t v16;
	uint32_t v32;

	if (len < EHDR_SIZE) {
		pr_err("elf: image of %zu bytes is smaller than the ELF64 header (%u)", len,
		       EHDR_SIZE);
		return -HV_ENOEXEC;
	}
	if (memcmp(b, elf_magic, sizeof(elf_magic)) != 0) {
		pr_err("elf: bad magic %02x %02x %02x %02x (want 7f 45 4c 46)", b[0], b[1], b[2],
		       b[3]);
		return -HV_ENOEXEC;
	}
	if (b[EH_IDENT_CLASS] != ELFCLASS64) {
		pr_err("elf: EI_CLASS %u is not ELFCLASS64 (2)", b[EH_IDENT_CLASS]);
		return -HV_ENOEXEC;
	}
	if (b[EH_IDENT_DATA] != ELFDATA2LSB) {
		pr_err("elf: EI_DATA %u is not ELFDATA2LSB (1, little-endian)", b[EH_IDENT_DATA]);
		return -HV_ENOEXEC;
	}
	if (b[EH_IDENT_VER] != EV_CURRENT) {
		pr_err("elf: EI_VERSION %u is not 1", b[EH_IDENT_VER]);
		return -HV_ENOEXEC;
	}
	v32 = rd32(b + EH_VERSION);
	if (v32 != EV_CURRENT) {
		pr_err("elf: e_version %u is not 1", v32);
		return -HV_ENOEXEC;
	}
	v16 = rd16(b + EH_TYPE);
	if (v16 != ET_EXEC) {
		pr_err("elf: e_type %u is not ET_EXEC (2)", v16);
		return -HV_ENOEXEC;
	}
	v16 = rd16(b + EH_MACHINE);
	if (v16 != machine) {
		pr_err("elf: e_machine %u is not %u", v16, machine);
		return -HV_ENOEXEC;
	}
	v16 = rd16(b + EH_PHENTSIZE);
	if (v16 != PHDR_SIZE) {
		pr_err("elf: e_phentsize %u is not %u", v16, PHDR_SIZE);
		return -HV_ENOEXEC;
	}
	v16 = rd16(b + EH_PHNUM);
	if (v16 == 0 || v16 > ELF_PHNUM_MAX) {
		pr_err("elf: e_phnum %u is not in 1..%u", v16, ELF_PHNUM_MAX);
		return -HV_ENOEXEC;
	}
	return 0;
}

/* Reads program header i into seg; returns 1 for a PT_LOAD to keep, 0 to skip, or an error. */
static int elf64_read_phdr(const uint8_t *ph, unsigned i, size_t len, struct elf_segment *seg)
{
	if (rd32(ph + PH_TYPE) != PT_LOAD)
		return 0;
	seg->flags = rd32(ph + PH_FLAGS);
	seg->offset = rd64(ph + PH_OFFSET);
	seg->paddr = rd64(ph + PH_PADDR);
	seg->filesz = rd64(ph + PH_FILESZ);
	seg->memsz = rd64(ph + PH_MEMSZ);
	/* nothing to load; such headers appear in real images (e.g. an empty .bss) */
	if (seg->memsz == 0)
		return 0;
	if (seg->filesz > seg->memsz) {
		pr_err("elf: program header %u: filesz 0x%llx > memsz 0x%llx", i,
		       (unsigned long long)seg->filesz, (unsigned long long)seg->memsz);
		return -HV_ENOEXEC;
	}
	if (seg->filesz && (seg->offset > len || seg->filesz > len - seg->offset)) {
		pr_err("elf: program header %u: file range offset 0x%llx filesz 0x%llx is outside "
		       "the image (%zu bytes)",
		       i, (unsigned long long)seg->offset, (unsigned long long)seg->filesz, len);
		return -HV_ENOEXEC;
	}
	/* the end must be representable: [paddr, paddr + memsz) may not reach 2^64 */
	if (seg->paddr + seg->memsz <= seg->paddr) {
		pr_err("elf: program header %u: paddr 0x%llx + memsz 0x%llx overflows", i,
		       (unsigned long long)seg->paddr, (unsigned long long)seg->memsz);
		return -HV_ENOEXEC;
	}
	return 1;
}

static int elf64_parse_checked(const void *img, size_t len, uint16_t machine, struct elf_info *out)
{
	const uint8_t *b = img;
	uint64_t phoff, entry;
	uint16_t phnum;
	bool entry_ok = false;
	int ret;

	ret = elf64_check_header(b, len, machine);
	if (ret < 0)
		return ret;
	phoff = rd64(b + EH_PHOFF);
	phnum = rd16(b + EH_PHNUM);
	entry = rd64(b + EH_ENTRY);
	/* phnum <= 64, so the table size cannot overflow; the offset can */
	if (phoff > len || (uint64_t)phnum * PHDR_SIZE > len - phoff) {
		pr_err("elf: program header table e_phoff 0x%llx, %u entries, is outside the "
		       "image (%zu bytes)",
		       (unsigned long long)phoff, phnum, len);
		return -HV_ENOEXEC;
	}
	for (unsigned i = 0; i < phnum; i++) {
		struct elf_segment seg;

		ret = elf64_read_phdr(b + phoff + (uint64_t)i * PHDR_SIZE, i, len, &seg);
		if (ret < 0)
			return ret;
		if (ret == 0)
			continue;
		if (out->seg_count == ELF_SEGMENTS_MAX) {
			pr_err("elf: program header %u: more than %u PT_LOAD segments", i,
			       ELF_SEGMENTS_MAX);
			return -HV_E2BIG;
		}
		for (uint32_t j = 0; j < out->seg_count; j++) {
			const struct elf_segment *o = &out->seg[j];

			if (seg.paddr < o->paddr + o->memsz && o->paddr < seg.paddr + seg.memsz) {
				pr_err("elf: program header %u: [0x%llx, +0x%llx) overlaps segment "
				       "[0x%llx, +0x%llx)",
				       i, (unsigned long long)seg.paddr,
				       (unsigned long long)seg.memsz, (unsigned long long)o->paddr,
				       (unsigned long long)o->memsz);
				return -HV_ENOEXEC;
			}
		}
		out->seg[out->seg_count++] = seg;
	}
	if (out->seg_count == 0) {
		pr_err("elf: no PT_LOAD segment with memsz > 0 among %u program headers", phnum);
		return -HV_ENOEXEC;
	}
	for (uint32_t j = 0; j < out->seg_count; j++) {
		const struct elf_segment *s = &out->seg[j];

		if ((s->flags & PF_X) && entry >= s->paddr && entry - s->paddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok) {
		pr_err("elf: e_entry 0x%llx is not inside an executable (PF_X) segment",
		       (unsigned long long)entry);
		return -HV_ENOEXEC;
	}
	out->entry = entry;
	return 0;
}

int elf64_parse(const void *img, size_t len, uint16_t machine, struct elf_info *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = elf64_parse_checked(img, len, machine, out);
	/* a caller that ignores the error still finds nothing to load */
	if (ret < 0)
		memset(out, 0, sizeof(*out));
	return ret;
}
