// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the ELF64 parser and the guest loader. Input: an ELF
 * image. It is parsed for x86_64; whatever parses must satisfy the parser's
 * promises (segments inside the image, filesz <= memsz, no overlap, entry in
 * an executable segment) and is then loaded into a fixture partition of a
 * bit over 1 MiB. After a load every byte of guest memory must be either a loaded
 * segment's (file bytes, then zeros) or untouched; after a refused load, all
 * of it untouched. The boot information is written too, with the input's
 * first bytes as command line.
 */
#include <stdlib.h>
#include <string.h>

#include "bulkhead/guest.h"
#include "bulkhead/table.h"
#include "core/elf.h"
#include "core/guest_load.h"
#include "core/partition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FILL 0xa5

enum { R_SHARED, R_IO, R_RAM, R_RAM2, R_RO, R_COUNT };

/* A layout with the traps: IO and SHARED below RAM, two RAM regions touching, read-only RAM. */
static const struct part_region layout[R_COUNT] = {
	[R_SHARED] = { 0x80000, 0, 0x10000,
		       BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED | BH_MEM_LOADABLE },
	[R_IO] = { 0xa0000, 0, 0x1000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO },
	[R_RAM] = { 0x100000, 0, 0x100000,
		    BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_LOADABLE },
	[R_RAM2] = { 0x200000, 0, 0x40000, BH_MEM_READ | BH_MEM_WRITE | BH_MEM_LOADABLE },
	[R_RO] = { 0x300000, 0, 0x10000, BH_MEM_READ },
};

static struct partition part;
static uint8_t *mem[R_COUNT];
static struct elf_info info;

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static void setup(void)
{
	part.id = 9;
	memcpy(part.name, "fuzz-elf", 9);
	part.state = PART_STOPPED;
	part.cpu_count = 1;
	part.region_count = R_COUNT;
	for (int i = 0; i < R_COUNT; i++) {
		mem[i] = aligned_alloc(4096, layout[i].size);
		check(mem[i] != NULL);
		memset(mem[i], FILL, layout[i].size);
		part.regions[i] = layout[i];
		part.regions[i].hpa = (hpa_t)(uintptr_t)mem[i];
	}
}

static const uint8_t fill_block[4096] = { [0 ... 4095] = FILL };
static const uint8_t zero_block[4096];

/* memcmp, not a byte loop: the fuzzer's instrumentation makes loops here slow. */
static bool all_like(const uint8_t *b, uint64_t len, const uint8_t *block)
{
	for (uint64_t n; len; b += n, len -= n) {
		n = len < sizeof(fill_block) ? len : sizeof(fill_block);
		if (memcmp(b, block, n) != 0)
			return false;
	}
	return true;
}

static bool all_fill(const uint8_t *b, uint64_t len)
{
	return all_like(b, len, fill_block);
}

/* The region holding a whole loaded range; the loader promised there is one. */
static int region_index(gpa_t gpa, uint64_t len)
{
	for (int i = 0; i < R_COUNT; i++)
		if (gpa >= layout[i].gpa && gpa - layout[i].gpa < layout[i].size &&
		    len <= layout[i].size - (gpa - layout[i].gpa))
			return i;
	return -1;
}

static void check_parse(const uint8_t *data, size_t size)
{
	bool entry_ok = false;

	check(info.seg_count >= 1 && info.seg_count <= ELF_SEGMENTS_MAX);
	for (uint32_t i = 0; i < info.seg_count; i++) {
		const struct elf_segment *s = &info.seg[i];

		check(s->memsz > 0 && s->filesz <= s->memsz);
		check(s->filesz == 0 || (s->offset <= size && s->filesz <= size - s->offset));
		check(s->paddr + s->memsz > s->paddr);
		for (uint32_t j = 0; j < i; j++) {
			const struct elf_segment *o = &info.seg[j];

			check(s->paddr >= o->paddr + o->memsz || o->paddr >= s->paddr + s->memsz);
		}
		if ((s->flags & 1) && info.entry >= s->paddr && info.entry - s->paddr < s->memsz)
			entry_ok = true;
	}
	check(entry_ok);
	(void)data;
}

/* Checks the loaded segments, then puts the fill pattern back. */
static void check_loaded(const uint8_t *data)
{
	for (uint32_t i = 0; i < info.seg_count; i++) {
		const struct elf_segment *s = &info.seg[i];
		int r = region_index(s->paddr, s->memsz);
		uint8_t *h;

		check(r == R_RAM || r == R_RAM2);
		/* clear of the reserved area at the bottom of the lowest RAM region */
		check(s->paddr >= layout[R_RAM].gpa + BH_GUEST_RESERVED_BYTES ||
		      s->paddr + s->memsz <= layout[R_RAM].gpa);
		h = mem[r] + (s->paddr - layout[r].gpa);
		check(s->filesz == 0 || memcmp(h, data + s->offset, s->filesz) == 0);
		check(all_like(h + s->filesz, s->memsz - s->filesz, zero_block));
		memset(h, FILL, s->memsz);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cmdline[300];
	uint64_t entry = 0;
	int pret, lret;

	if (!mem[0])
		setup();
	pret = elf64_parse(data, size, ELF_MACHINE_X86_64, &info);
	if (pret < 0) {
		check(info.seg_count == 0);
		return 0;
	}
	check_parse(data, size);
	lret = guest_load_elf(&part, data, size, ELF_MACHINE_X86_64, &entry);
	if (lret == 0) {
		check(entry == info.entry);
		check_loaded(data);
	}
	for (int i = 0; i < R_COUNT; i++)
		check(all_fill(mem[i], layout[i].size));

	/* boot information with an arbitrary (possibly over-long) command line */
	memset(cmdline, 0, sizeof(cmdline));
	memcpy(cmdline, data, size < sizeof(cmdline) - 1 ? size : sizeof(cmdline) - 1);
	check(guest_write_info(&part, cmdline) == 0);
	{
		uint8_t *gi = mem[R_RAM] + BH_GUEST_INFO_OFFSET;
		size_t gl = sizeof(struct bh_guest_info);

		check(((struct bh_guest_info *)gi)->magic == BH_GUEST_MAGIC);
		check(strnlen(((struct bh_guest_info *)gi)->cmdline, BH_GUEST_CMDLINE_MAX) <
		      BH_GUEST_CMDLINE_MAX);
		check(all_fill(mem[R_RAM], BH_GUEST_INFO_OFFSET));
		check(all_fill(gi + gl, BH_GUEST_RESERVED_BYTES - BH_GUEST_INFO_OFFSET - gl));
		memset(gi, FILL, gl);
	}
	return 0;
}
