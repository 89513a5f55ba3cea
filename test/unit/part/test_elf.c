// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the ELF64 parser (core/elf.c): a good image and every field it must refuse. */
#include "../check.h"
#include "core/elf.h"
#include "core/errno.h"
#include "elf_builder.h"

static uint8_t img[16384] __aligned(16);
static size_t img_len;
static struct elf_info info;

static const struct eb_seg good_segs[] = {
	{ 0, PF_R | PF_X, 0x110000, 0x100, 0x100 },
	{ 0, PF_R, 0x111000, 0x40, 0x40 },
	{ 0, PF_R | PF_W, 0x120000, 0x10, 0x1000 },
};
#define GOOD_ENTRY 0x110010

static void build_good(void)
{
	img_len = eb_build(img, sizeof(img), EM_X86_64, GOOD_ENTRY, good_segs, 3);
}

static int parse(void)
{
	test_log_clear();
	return elf64_parse(img, img_len, ELF_MACHINE_X86_64, &info);
}

/* Parses the current image, expects rejection with msg and an emptied result. */
#define BAD(msg)                                     \
	do {                                         \
		CHECK(parse() < 0);                  \
		CHECK_LOG(msg);                      \
		CHECK_EQ(info.seg_count, 0);         \
		CHECK_EQ(info.entry, 0);             \
		CHECK(!test_log_contains("\n[cpu")); \
	} while (0)

static void test_good(void)
{
	static uint8_t shifted[sizeof(img) + 1];

	build_good();
	CHECK(img_len > 0);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(test_log_text()[0], '\0');
	CHECK_EQ(info.entry, GOOD_ENTRY);
	CHECK_EQ(info.seg_count, 3);
	CHECK_EQ(info.seg[0].paddr, 0x110000);
	CHECK_EQ(info.seg[0].filesz, 0x100);
	CHECK_EQ(info.seg[0].memsz, 0x100);
	CHECK_EQ(info.seg[0].flags, PF_R | PF_X);
	CHECK_EQ(info.seg[0].offset, eb_phdr(img, 0)->p_offset);
	CHECK_EQ(info.seg[2].paddr, 0x120000);
	CHECK_EQ(info.seg[2].filesz, 0x10);
	CHECK_EQ(info.seg[2].memsz, 0x1000);
	CHECK_EQ(img[info.seg[1].offset + 5], eb_byte(1, 5));

	/* an unaligned image (a boot module can sit anywhere) */
	memcpy(shifted + 1, img, img_len);
	CHECK_EQ(elf64_parse(shifted + 1, img_len, ELF_MACHINE_X86_64, &info), 0);
	CHECK_EQ(info.seg_count, 3);
	CHECK_EQ(info.entry, GOOD_ENTRY);

	/* the other machine, when asked for */
	eb_ehdr(img)->e_machine = EM_AARCH64;
	CHECK_EQ(elf64_parse(img, img_len, ELF_MACHINE_AARCH64, &info), 0);

	/* non-LOAD headers and empty PT_LOADs are skipped quietly */
	static const struct eb_seg mixed[] = {
		{ PT_NOTE, PF_R, 0x0, 0x20, 0x20 },	    { 0, PF_R | PF_W, 0x130000, 0, 0 },
		{ 0, PF_R | PF_X, 0x110000, 0x100, 0x100 }, { PT_GNU_STACK, PF_R | PF_W, 0, 0, 0 },
		{ 0, PF_R | PF_W, 0x130000, 0, 0x2000 }, /* bss only */
	};
	img_len = eb_build(img, sizeof(img), EM_X86_64, 0x1100ff, mixed, ARRAY_SIZE(mixed));
	eb_phdr(img, 1)->p_offset = 0xffffffffffffff00ull; /* never looked at */
	eb_phdr(img, 4)->p_offset = 0xffffffffffffff00ull; /* filesz 0: never looked at */
	CHECK_EQ(parse(), 0);
	CHECK_EQ(test_log_text()[0], '\0');
	CHECK_EQ(info.seg_count, 2);
	CHECK_EQ(info.seg[1].paddr, 0x130000);
	CHECK_EQ(info.seg[1].memsz, 0x2000);
	CHECK_EQ(info.entry, 0x1100ff);

	/* exactly ELF_SEGMENTS_MAX segments and 64 program headers */
	struct eb_seg many[64];
	memset(many, 0, sizeof(many));
	for (unsigned i = 0; i < 64; i++) {
		many[i].type = i < ELF_SEGMENTS_MAX ? PT_LOAD : PT_NOTE;
		many[i].flags = PF_R | PF_X;
		many[i].paddr = 0x200000 + i * 0x1000;
		many[i].filesz = 8;
		many[i].memsz = 0x1000;
	}
	img_len = eb_build(img, sizeof(img), EM_X86_64, 0x200000, many, 64);
	CHECK_EQ(parse(), 0);
	CHECK_EQ(info.seg_count, ELF_SEGMENTS_MAX);
}

static void test_bad_header(void)
{
	build_good();
	img_len = 63;
	BAD("[cpu0] ERROR: elf: image of 63 bytes is smaller than the ELF64 header (64)\n");
	img_len = 0;
	BAD("elf: image of 0 bytes is smaller than the ELF64 header (64)");

	build_good();
	img[3] = 'G';
	BAD("elf: bad magic 7f 45 4c 47 (want 7f 45 4c 46)");

	build_good();
	img[EI_CLASS] = ELFCLASS32;
	BAD("elf: EI_CLASS 1 is not ELFCLASS64 (2)");

	build_good();
	img[EI_DATA] = ELFDATA2MSB;
	BAD("elf: EI_DATA 2 is not ELFDATA2LSB (1, little-endian)");

	build_good();
	img[EI_VERSION] = 0;
	BAD("elf: EI_VERSION 0 is not 1");

	build_good();
	eb_ehdr(img)->e_version = 2;
	BAD("elf: e_version 2 is not 1");

	build_good();
	eb_ehdr(img)->e_type = ET_DYN;
	BAD("elf: e_type 3 is not ET_EXEC (2)");
	eb_ehdr(img)->e_type = ET_REL;
	BAD("elf: e_type 1 is not ET_EXEC (2)");

	build_good();
	eb_ehdr(img)->e_machine = EM_AARCH64;
	BAD("elf: e_machine 183 is not 62");

	build_good();
	eb_ehdr(img)->e_phentsize = 64;
	BAD("elf: e_phentsize 64 is not 56");
	eb_ehdr(img)->e_phentsize = 0;
	BAD("elf: e_phentsize 0 is not 56");

	build_good();
	eb_ehdr(img)->e_phnum = 0;
	BAD("elf: e_phnum 0 is not in 1..64");
	eb_ehdr(img)->e_phnum = 65;
	BAD("elf: e_phnum 65 is not in 1..64");
	eb_ehdr(img)->e_phnum = 0xffff; /* PN_XNUM */
	BAD("elf: e_phnum 65535 is not in 1..64");
}

static void test_bad_phdr_table(void)
{
	build_good();
	eb_ehdr(img)->e_phoff = img_len;
	BAD("elf: program header table e_phoff 0x");
	CHECK_LOG(", 3 entries, is outside the image (");

	/* the last header one byte short */
	build_good();
	img_len = 64 + 3 * 56 - 1;
	BAD("elf: program header table e_phoff 0x40, 3 entries, is outside the image (231 bytes)");

	/* an offset that would wrap the table end */
	build_good();
	eb_ehdr(img)->e_phoff = 0xffffffffffffffc8ull;
	BAD("elf: program header table e_phoff 0xffffffffffffffc8, 3 entries, is outside the "
	    "image");
}

static void test_bad_segments(void)
{
	build_good();
	eb_phdr(img, 2)->p_filesz = 0x2000;
	eb_phdr(img, 2)->p_memsz = 0x1000;
	BAD("elf: program header 2: filesz 0x2000 > memsz 0x1000");

	/* file bytes past the end of the image */
	build_good();
	eb_phdr(img, 1)->p_offset = img_len - 0x20;
	BAD("elf: program header 1: file range offset 0x");
	CHECK_LOG(" filesz 0x40 is outside the image (");

	/* offset + filesz wraps */
	build_good();
	eb_phdr(img, 0)->p_offset = 0xfffffffffffffff0ull;
	BAD("elf: program header 0: file range offset 0xfffffffffffffff0 filesz 0x100 is outside "
	    "the image");

	/* paddr + memsz wraps, or ends exactly at 2^64 */
	build_good();
	eb_phdr(img, 2)->p_paddr = 0xfffffffffffff800ull;
	BAD("elf: program header 2: paddr 0xfffffffffffff800 + memsz 0x1000 overflows");
	eb_phdr(img, 2)->p_paddr = 0xfffffffffffff000ull;
	BAD("elf: program header 2: paddr 0xfffffffffffff000 + memsz 0x1000 overflows");

	/* two segments sharing guest memory */
	build_good();
	eb_phdr(img, 2)->p_paddr = 0x1100f0;
	BAD("elf: program header 2: [0x1100f0, +0x1000) overlaps segment [0x110000, +0x100)");
	build_good();
	eb_phdr(img, 1)->p_paddr = 0x10ffc1; /* ends inside segment 0 */
	BAD("elf: program header 1: [0x10ffc1, +0x40) overlaps segment [0x110000, +0x100)");

	/* one PT_LOAD too many */
	struct eb_seg many[ELF_SEGMENTS_MAX + 1];
	memset(many, 0, sizeof(many));
	for (unsigned i = 0; i < ARRAY_SIZE(many); i++) {
		many[i].flags = PF_R | PF_X;
		many[i].paddr = 0x200000 + i * 0x1000;
		many[i].filesz = 8;
		many[i].memsz = 0x1000;
	}
	img_len = eb_build(img, sizeof(img), EM_X86_64, 0x200000, many, ARRAY_SIZE(many));
	BAD("elf: program header 16: more than 16 PT_LOAD segments");
	CHECK_EQ(parse(), -HV_E2BIG);

	/* nothing to load */
	static const struct eb_seg none[] = {
		{ PT_NOTE, PF_R, 0x110000, 0x10, 0x10 },
		{ 0, PF_R | PF_X, 0x110000, 0, 0 },
	};
	img_len = eb_build(img, sizeof(img), EM_X86_64, 0x110000, none, 2);
	BAD("elf: no PT_LOAD segment with memsz > 0 among 2 program headers");
}

static void test_bad_entry(void)
{
	/* in a segment without PF_X */
	build_good();
	eb_ehdr(img)->e_entry = 0x111000;
	BAD("elf: e_entry 0x111000 is not inside an executable (PF_X) segment");
	/* just past the executable segment */
	eb_ehdr(img)->e_entry = 0x110100;
	BAD("elf: e_entry 0x110100 is not inside an executable (PF_X) segment");
	/* nowhere */
	eb_ehdr(img)->e_entry = 0;
	BAD("elf: e_entry 0x0 is not inside an executable (PF_X) segment");
	/* the last byte of the executable segment is fine */
	eb_ehdr(img)->e_entry = 0x1100ff;
	CHECK_EQ(parse(), 0);
}

int main(void)
{
	test_good();
	test_bad_header();
	test_bad_phdr_table();
	test_bad_segments();
	test_bad_entry();
	return check_summary();
}
