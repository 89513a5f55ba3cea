// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the Multiboot2 information parser (boot/mb2/mb2_parse.c). */
#include "../check.h"
#include "boot/mb2.h"
#include "core/errno.h"
#include "core/memmap.h"

/* ---- a builder that lays out MB2 information blocks in a buffer ---- */

#define MB2B_CAP 32768

struct mb2b {
	uint8_t buf[MB2B_CAP] __aligned(8);
	uint32_t len;
};

static struct mb2b B;
static struct boot_info BI;

static void put32(uint32_t off, uint32_t v)
{
	memcpy(B.buf + off, &v, 4);
}

static void put64(uint32_t off, uint64_t v)
{
	memcpy(B.buf + off, &v, 8);
}

static void b_start(void)
{
	memset(&B, 0, sizeof(B));
	B.len = 8;
}

/* A tag whose size field may disagree with what is written (for bad inputs). */
static uint32_t b_raw(uint32_t type, uint32_t size_field, const void *payload, uint32_t plen)
{
	uint32_t off = B.len;

	put32(off, type);
	put32(off + 4, size_field);
	if (plen)
		memcpy(B.buf + off + 8, payload, plen);
	B.len = (uint32_t)ALIGN_UP(off + 8 + plen, 8);
	return off;
}

static uint32_t b_tag(uint32_t type, const void *payload, uint32_t plen)
{
	return b_raw(type, 8 + plen, payload, plen);
}

static void b_string(uint32_t type, const char *s)
{
	b_tag(type, s, (uint32_t)strlen(s) + 1);
}

static void b_module(uint32_t start, uint32_t end, const char *s)
{
	uint8_t p[512];
	size_t n = strlen(s) + 1;

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, s, n);
	b_tag(MB2_TAG_MODULE, p, (uint32_t)(8 + n));
}

struct e820 {
	uint64_t base, len;
	uint32_t type;
};

static uint32_t b_mmap_ex(const struct e820 *e, uint32_t n, uint32_t esize, uint32_t ever)
{
	uint32_t off = B.len, size = 16 + n * esize;

	put32(off, MB2_TAG_MMAP);
	put32(off + 4, size);
	put32(off + 8, esize);
	put32(off + 12, ever);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t o = off + 16 + i * esize;

		put64(o, e[i].base);
		put64(o + 8, e[i].len);
		put32(o + 16, e[i].type);
	}
	B.len = (uint32_t)ALIGN_UP(off + size, 8);
	return off;
}

static void b_mmap(const struct e820 *e, uint32_t n)
{
	b_mmap_ex(e, n, 24, 0);
}

struct efi_desc {
	uint32_t type;
	uint64_t phys, pages, attr;
};

static uint32_t b_efi_mmap(const struct efi_desc *d, uint32_t n, uint32_t dsize)
{
	uint32_t off = B.len, size = 16 + n * dsize;

	put32(off, MB2_TAG_EFI_MMAP);
	put32(off + 4, size);
	put32(off + 8, dsize);
	put32(off + 12, 1);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t o = off + 16 + i * dsize;

		put32(o, d[i].type);
		put64(o + 8, d[i].phys);
		put64(o + 16, 0); /* VirtualStart */
		put64(o + 24, d[i].pages);
		put64(o + 32, d[i].attr);
	}
	B.len = (uint32_t)ALIGN_UP(off + size, 8);
	return off;
}

static void b_efi64(uint64_t st)
{
	b_tag(MB2_TAG_EFI64, &st, 8);
}

static void b_end(void)
{
	b_tag(MB2_TAG_END, NULL, 0);
	put32(0, B.len);
}

static int parse_len(size_t max_len)
{
	memset(&BI, 0, sizeof(BI));
	test_log_clear();
	return mb2_parse(B.buf, max_len, &BI);
}

static int parse(void)
{
	return parse_len(B.len);
}

/* QEMU 10 + SeaBIOS, -m 512M, as GRUB passes it in the type 6 tag. */
static const struct e820 seabios_e820[] = {
	{ 0x0, 0x9fc00, 1 },	     { 0x9fc00, 0x400, 2 },	 { 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x1fee0000, 1 }, { 0x1ffe0000, 0x20000, 2 }, { 0xfeffc000, 0x4000, 2 },
	{ 0xfffc0000, 0x40000, 2 },
};

/* An RSDP copy: "RSD PTR " signature and a recognisable tail. */
static void make_rsdp(uint8_t *r, uint8_t rev, uint32_t len)
{
	memset(r, 0, len);
	memcpy(r, "RSD PTR ", 8);
	r[15] = rev;
	for (uint32_t i = 16; i < len; i++)
		r[i] = (uint8_t)(0x40 + i);
}

/* ---- good inputs ---- */

static void test_bios_block(void)
{
	uint8_t rsdp[20], fb[24];
	uint32_t meminfo[2] = { 639, 523136 }, bootdev[3] = { 0x80, ~0u, ~0u }, load = 0x1000000;
	uint64_t fbaddr = 0xfd000000;
	uint32_t fbw[3] = { 4096, 1024, 768 };

	b_start();
	b_string(MB2_TAG_CMDLINE, "console=com1 loglevel=debug");
	b_string(MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	b_tag(MB2_TAG_BASIC_MEMINFO, meminfo, sizeof(meminfo));
	b_tag(MB2_TAG_BOOTDEV, bootdev, sizeof(bootdev));
	b_module(0x2000000, 0x2345678, "bulkhead-table");
	b_module(0x2346000, 0x2b00000, "linux root=/dev/ram0");
	b_tag(MB2_TAG_LOAD_BASE_ADDR, &load, 4);
	b_mmap(seabios_e820, ARRAY_SIZE(seabios_e820));
	memcpy(fb, &fbaddr, 8);
	memcpy(fb + 8, fbw, 12);
	fb[20] = 32;
	fb[21] = 1;
	fb[22] = fb[23] = 0;
	b_tag(MB2_TAG_FRAMEBUFFER, fb, sizeof(fb));
	make_rsdp(rsdp, 0, sizeof(rsdp));
	b_tag(MB2_TAG_ACPI_OLD, rsdp, sizeof(rsdp));
	b_tag(0x7777, "skipped", 8); /* unknown: skipped */
	b_end();

	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.magic, BOOT_INFO_MAGIC);
	CHECK_EQ(BI.version, BOOT_INFO_VERSION);
	CHECK_EQ(BI.size, sizeof(struct boot_info));
	CHECK_EQ(BI.path, BOOT_PATH_MB2_BIOS);
	CHECK_EQ(BI.efi_system_table, 0);
	CHECK_STR(BI.cmdline, "console=com1 loglevel=debug");
	CHECK_STR(BI.loader_name, "GRUB 2.06-13+deb12u1");
	CHECK_EQ(BI.module_count, 2);
	CHECK_EQ(BI.modules[0].start, 0x2000000);
	CHECK_EQ(BI.modules[0].end, 0x2345678);
	CHECK_STR(BI.modules[0].tag, "bulkhead-table");
	CHECK_EQ(BI.modules[1].start, 0x2346000);
	CHECK_STR(BI.modules[1].tag, "linux root=/dev/ram0");
	CHECK_EQ(BI.image_start, 0x1000000);
	CHECK_EQ(BI.mem_count, ARRAY_SIZE(seabios_e820));
	for (uint32_t i = 0; i < ARRAY_SIZE(seabios_e820); i++) {
		CHECK_EQ(BI.mem[i].base, seabios_e820[i].base);
		CHECK_EQ(BI.mem[i].size, seabios_e820[i].len);
		CHECK_EQ(BI.mem[i].type, seabios_e820[i].type);
	}
	CHECK_EQ(BI.flags, BOOT_INFO_F_FRAMEBUFFER);
	CHECK_EQ(BI.fb.addr, 0xfd000000);
	CHECK_EQ(BI.fb.pitch, 4096);
	CHECK_EQ(BI.fb.width, 1024);
	CHECK_EQ(BI.fb.height, 768);
	CHECK_EQ(BI.fb.bpp, 32);
	CHECK_EQ(BI.fb.type, 1);
	CHECK_EQ(BI.rsdp_len, 20);
	CHECK(memcmp(BI.rsdp, rsdp, 20) == 0);
	CHECK_EQ(BI.rsdp_phys, 0);
	CHECK_STR(test_log_text(), ""); /* a clean block logs nothing */

	/* max_len larger than total_size is fine */
	CHECK_EQ(parse_len(sizeof(B.buf)), 0);
}

/* OVMF through GRUB on UEFI: EFI64 and an EFI memory map, no type 6 tag. */
static const struct efi_desc ovmf_desc[] = {
	{ 3, 0x0, 0x1, 0 },		       /* BootServicesCode */
	{ 7, 0x1000, 0x9f, 0 },		       /* Conventional */
	{ 7, 0x100000, 0x700, 0 },	       /* Conventional */
	{ 10, 0x800000, 0x8, 0 },	       /* ACPINVS */
	{ 7, 0x808000, 0x3, 0 },	       /* Conventional */
	{ 4, 0x80b000, 0x5, 0 },	       /* BootServicesData */
	{ 2, 0x810000, 0x10, 0 },	       /* LoaderData */
	{ 1, 0x820000, 0x20, 0 },	       /* LoaderCode */
	{ 9, 0x1fb7e000, 0x8, 0 },	       /* ACPIReclaim */
	{ 5, 0x1fb86000, 0x10, 1ULL << 63 },   /* RuntimeServicesCode */
	{ 6, 0x1fb96000, 0x10, 1ULL << 63 },   /* RuntimeServicesData */
	{ 7, 0x1fba6000, 0x10, 1ULL << 63 },   /* Conventional, but EFI_MEMORY_RUNTIME */
	{ 8, 0x1fbb6000, 0x1, 0 },	       /* Unusable */
	{ 14, 0x100000000, 0x100, 0 },	       /* PersistentMemory */
	{ 0, 0x1fbb7000, 0x49, 0 },	       /* Reserved */
	{ 11, 0xffc00000, 0x400, 1ULL << 63 }, /* MMIO */
	{ 15, 0x200000000, 0x10, 0 },	       /* Unaccepted: not known here -> reserved */
};

static void test_uefi_block(void)
{
	uint8_t rsdp[36];

	b_start();
	b_string(MB2_TAG_CMDLINE, "");
	b_efi64(0x1f9ee018);
	b_efi_mmap(ovmf_desc, ARRAY_SIZE(ovmf_desc), 48); /* OVMF's descriptor_size is 48 */
	make_rsdp(rsdp, 2, sizeof(rsdp));
	b_tag(MB2_TAG_ACPI_NEW, rsdp, sizeof(rsdp));
	b_end();

	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.path, BOOT_PATH_MB2_UEFI);
	CHECK_EQ(BI.efi_system_table, 0x1f9ee018);
	CHECK_EQ(BI.flags, BOOT_INFO_F_EFI_MMAP | BOOT_INFO_F_RSDP_V2);
	CHECK_EQ(BI.rsdp_len, 36);
	CHECK(memcmp(BI.rsdp, rsdp, 36) == 0);
	CHECK_STR(BI.cmdline, "");
	/* adjacent RAM pieces of different EFI types are joined */
	CHECK_EQ(BI.mem_count, 11);
	CHECK_EQ(BI.mem[0].base, 0);
	CHECK_EQ(BI.mem[0].size, 0xa0000);
	CHECK_EQ(BI.mem[0].type, BOOT_MEM_RAM);
	CHECK_EQ(BI.mem[1].base, 0x100000);
	CHECK_EQ(BI.mem[1].size, 0x700000);
	CHECK_EQ(BI.mem[2].type, BOOT_MEM_ACPI_NVS);
	CHECK_EQ(BI.mem[3].base, 0x808000);
	CHECK_EQ(BI.mem[3].size, 0x38000);
	CHECK_EQ(BI.mem[3].type, BOOT_MEM_RAM);
	CHECK_EQ(BI.mem[4].type, BOOT_MEM_ACPI_RECLAIM);
	CHECK_EQ(BI.mem[5].base, 0x1fb86000);
	CHECK_EQ(BI.mem[5].size, 0x30000); /* RT code + RT data + runtime conventional */
	CHECK_EQ(BI.mem[5].type, BOOT_MEM_FIRMWARE);
	CHECK_EQ(BI.mem[6].type, BOOT_MEM_BAD);
	CHECK_EQ(BI.mem[7].type, BOOT_MEM_PERSISTENT);
	CHECK_EQ(BI.mem[7].size, 0x100000);
	CHECK_EQ(BI.mem[8].type, BOOT_MEM_RESERVED);
	CHECK_EQ(BI.mem[9].base, 0xffc00000);
	CHECK_EQ(BI.mem[9].type, BOOT_MEM_RESERVED);
	CHECK_EQ(BI.mem[10].type, BOOT_MEM_RESERVED);
}

static void test_efi_bs_kept(void)
{
	static const struct efi_desc d[] = {
		{ 7, 0x100000, 0x10, 0 },
		{ 3, 0x110000, 0x10, 0 },
		{ 4, 0x120000, 0x10, 0 },
	};

	b_start();
	b_efi64(0x1000);
	b_tag(MB2_TAG_EFI_BS, NULL, 0);
	b_efi_mmap(d, ARRAY_SIZE(d), 40);
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.mem_count, 2);
	CHECK_EQ(BI.mem[0].type, BOOT_MEM_RAM);
	CHECK_EQ(BI.mem[1].type, BOOT_MEM_RESERVED);
	CHECK_EQ(BI.mem[1].size, 0x20000);
}

static void test_efi32(void)
{
	uint32_t st = 0x7fe000;

	b_start();
	b_tag(MB2_TAG_EFI32, &st, 4);
	b_mmap(seabios_e820, 1);
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.path, BOOT_PATH_MB2_UEFI);
	CHECK_EQ(BI.efi_system_table, 0x7fe000);
}

static void test_both_mmaps(void)
{
	static const struct efi_desc d[] = { { 7, 0x100000, 0x10, 0 } };

	/* type 6 wins whichever comes first */
	for (int order = 0; order < 2; order++) {
		b_start();
		if (order)
			b_efi_mmap(d, 1, 40);
		b_mmap(seabios_e820, ARRAY_SIZE(seabios_e820));
		if (!order)
			b_efi_mmap(d, 1, 40);
		b_efi64(0x1000);
		b_end();
		CHECK_EQ(parse(), 0);
		CHECK_EQ(BI.mem_count, ARRAY_SIZE(seabios_e820));
		CHECK_EQ(BI.flags & BOOT_INFO_F_EFI_MMAP, 0);
	}
}

static void test_acpi_order(void)
{
	uint8_t v1[20], v2[36];

	make_rsdp(v1, 0, sizeof(v1));
	make_rsdp(v2, 2, sizeof(v2));
	v1[16] = 0x11; /* different RsdtAddress so the copy shows which tag won */
	for (int order = 0; order < 2; order++) {
		b_start();
		b_mmap(seabios_e820, ARRAY_SIZE(seabios_e820));
		if (order)
			b_tag(MB2_TAG_ACPI_NEW, v2, sizeof(v2));
		b_tag(MB2_TAG_ACPI_OLD, v1, sizeof(v1));
		if (!order)
			b_tag(MB2_TAG_ACPI_NEW, v2, sizeof(v2));
		b_end();
		CHECK_EQ(parse(), 0);
		CHECK_EQ(BI.rsdp_len, 36);
		CHECK(BI.flags & BOOT_INFO_F_RSDP_V2);
		CHECK(memcmp(BI.rsdp, v2, 36) == 0);
	}
	/* a new tag longer than 36 bytes (a future RSDP) is copied up to 36 */
	{
		uint8_t big[40];

		make_rsdp(big, 3, sizeof(big));
		b_start();
		b_mmap(seabios_e820, 1);
		b_tag(MB2_TAG_ACPI_NEW, big, sizeof(big));
		b_end();
		CHECK_EQ(parse(), 0);
		CHECK_EQ(BI.rsdp_len, 36);
		CHECK(memcmp(BI.rsdp, big, 36) == 0);
	}
}

static void test_mmap_types_and_versions(void)
{
	static const struct e820 e[] = {
		{ 0x0, 0x1000, 0 },    { 0x1000, 0x1000, 6 },	{ 0x2000, 0x1000, 0xffffffff },
		{ 0x3000, 0x1000, 3 }, { 0x4000, 0x1000, 4 },	{ 0x5000, 0x1000, 5 },
		{ 0x100000, 0x0, 1 },  { 0x200000, 0x1000, 1 },
	};

	b_start();
	b_mmap_ex(e, ARRAY_SIZE(e), 32, 1); /* a later entry version with a larger entry */
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_LOG("entry_version 1, reading entries as version 0");
	/* types 0, 6 and junk become reserved and join; the empty entry is dropped */
	CHECK_EQ(BI.mem_count, 5);
	CHECK_EQ(BI.mem[0].type, BOOT_MEM_RESERVED);
	CHECK_EQ(BI.mem[0].size, 0x3000);
	CHECK_EQ(BI.mem[1].type, BOOT_MEM_ACPI_RECLAIM);
	CHECK_EQ(BI.mem[2].type, BOOT_MEM_ACPI_NVS);
	CHECK_EQ(BI.mem[3].type, BOOT_MEM_BAD);
	CHECK_EQ(BI.mem[4].base, 0x200000);
	CHECK_EQ(BI.mem[4].type, BOOT_MEM_RAM);
}

static void test_truncations(void)
{
	char longline[BOOT_CMDLINE_MAX + 100], longtag[300];

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	memset(longtag, 't', sizeof(longtag) - 1);
	longtag[sizeof(longtag) - 1] = '\0';
	b_start();
	b_string(MB2_TAG_CMDLINE, longline);
	b_module(0x100000, 0x200000, longtag);
	b_mmap(seabios_e820, 1);
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(strlen(BI.cmdline), BOOT_CMDLINE_MAX - 1);
	CHECK_LOG("mb2: tag type 1 at offset 0x8 (size 1132): string of 1123 bytes truncated to "
		  "1023");
	CHECK_EQ(strlen(BI.modules[0].tag), BOOT_TAG_MAX - 1);
	CHECK_LOG("module string of 299 bytes truncated to 255");
}

static void test_too_many_modules(void)
{
	char name[16];

	b_start();
	b_mmap(seabios_e820, ARRAY_SIZE(seabios_e820));
	for (uint32_t i = 0; i < BOOT_MODULES_MAX + 2; i++) {
		snprintf(name, sizeof(name), "mod%u", i);
		b_module(0x1000000 + i * 0x10000, 0x1000000 + i * 0x10000 + 0x1000, name);
	}
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.module_count, BOOT_MODULES_MAX);
	CHECK(BI.flags & BOOT_INFO_F_MOD_TRUNCATED);
	CHECK_STR(BI.modules[BOOT_MODULES_MAX - 1].tag, "mod15");
	CHECK_LOG("module \"mod16\" at 0x1100000 dropped: only 16 are kept");
	CHECK_LOG("module \"mod17\" at 0x1110000 dropped");
}

static void test_too_many_mmap_entries(void)
{
	static struct e820 e[BOOT_MEMMAP_MAX + 10];

	/* alternate types so that nothing joins */
	for (uint32_t i = 0; i < ARRAY_SIZE(e); i++) {
		e[i].base = (uint64_t)i * 0x2000;
		e[i].len = 0x2000;
		e[i].type = i % 2 ? 2 : 1;
	}
	b_start();
	b_mmap(e, ARRAY_SIZE(e));
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.mem_count, BOOT_MEMMAP_MAX);
	CHECK(BI.flags & BOOT_INFO_F_MEM_TRUNCATED);
	CHECK_LOG("mb2: more than 256 memory ranges, dropping the rest from 0x200000 on");
	CHECK_EQ(BI.mem[BOOT_MEMMAP_MAX - 1].base, (BOOT_MEMMAP_MAX - 1) * 0x2000);
}

static void test_duplicates(void)
{
	static const struct e820 other[] = { { 0x100000, 0x100000, 1 } };

	b_start();
	b_string(MB2_TAG_CMDLINE, "first");
	b_string(MB2_TAG_CMDLINE, "second");
	b_mmap(seabios_e820, ARRAY_SIZE(seabios_e820));
	b_mmap(other, 1);
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_STR(BI.cmdline, "first");
	CHECK_EQ(BI.mem_count, ARRAY_SIZE(seabios_e820));
	CHECK_LOG("tag type 1 at offset 0x18 (size 15): second tag of this type ignored");
	CHECK_LOG("tag type 6 at offset 0xe0 (size 40): second tag of this type ignored");
}

/* The parser's output goes straight into memmap_init. */
static void test_into_memmap(void)
{
	static struct memmap m;

	b_start();
	b_mmap(seabios_e820, ARRAY_SIZE(seabios_e820));
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(memmap_init(&m, BI.mem, BI.mem_count), 0);
	CHECK_EQ(m.count, 7);
	CHECK_EQ(memmap_total(&m, BOOT_MEM_RAM), 0x9f000 + 0x1fee0000);
}

/* ---- bad inputs: each is refused with a line that names the problem ---- */

static void test_bad_sizes(void)
{
	/* total_size < 16 */
	b_start();
	b_end();
	put32(0, 12);
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: total_size 12 is less than 16");

	/* total_size > max_len */
	b_start();
	b_mmap(seabios_e820, 1);
	b_end();
	CHECK_EQ(parse_len(B.len - 8), -HV_EBADMSG);
	CHECK_LOG("mb2: total_size 56 exceeds the 48 bytes available");

	/* max_len too small for the header itself */
	CHECK_EQ(parse_len(4), -HV_EBADMSG);
	CHECK_LOG("only 4 bytes of boot information");

	/* tag size < 8 */
	b_start();
	b_raw(MB2_TAG_CMDLINE, 4, NULL, 0);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG(
		"mb2: tag type 1 at offset 0x8 (size 4): size is less than the 8-byte tag header");

	/* tag past the end */
	b_start();
	b_mmap(seabios_e820, 1);
	b_raw(MB2_TAG_LOADER_NAME, 0x1000, "GRUB", 5);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: tag type 2 at offset 0x30 (size 4096): runs past total_size 72");

	/* missing END tag */
	b_start();
	b_mmap(seabios_e820, 1);
	put32(0, B.len);
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: no END tag within total_size 48 (tags stop at offset 0x30)");

	/* trailing bytes too few for a tag header instead of END */
	b_start();
	b_mmap(seabios_e820, 1);
	put32(0, B.len + 4);
	CHECK_EQ(parse_len(B.len + 4), -HV_EBADMSG);
	CHECK_LOG("no END tag within total_size 52");
}

static void test_bad_mmap(void)
{
	static const struct e820 e[] = { { 0x100000, 0x1000000, 1 } };
	static const struct {
		uint32_t esize;
		const char *msg;
	} cases[] = {
		{ 0, "tag type 6 at offset 0x8 (size 16): entry_size 0 is not a multiple of 8 "
		     "of at least 24 bytes" },
		{ 28, "(size 44): entry_size 28 is not a multiple of 8" },
		{ 16, "(size 32): entry_size 16 is not a multiple of 8 of at least 24 bytes" },
	};

	for (uint32_t i = 0; i < ARRAY_SIZE(cases); i++) {
		b_start();
		b_mmap_ex(e, cases[i].esize ? 1 : 0, cases[i].esize, 0);
		b_end();
		CHECK_EQ(parse(), -HV_EBADMSG);
		CHECK_LOG(cases[i].msg);
	}

	/* shorter than its own header (entry_size/entry_version) */
	b_start();
	b_raw(MB2_TAG_MMAP, 12, "\x18\0\0\0", 4);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: tag type 6 at offset 0x8 (size 12): shorter than the 16 bytes this tag "
		  "type needs");

	/* trailing half entry: warned, the whole entries are used */
	b_start();
	b_mmap(e, 1);
	put32(8 + 4, 16 + 24 + 8);
	B.len += 8;
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.mem_count, 1);
	CHECK_LOG("(size 48): 8 trailing bytes after the last entry ignored");
}

static void test_bad_module(void)
{
	b_start();
	b_mmap(seabios_e820, 1);
	b_module(0x2000000, 0x1fff000, "backwards");
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: tag type 3 at offset 0x30 (size 26): mod_end 0x1fff000 is below mod_start "
		  "0x2000000");

	/* string without its NUL */
	b_start();
	b_mmap(seabios_e820, 1);
	b_raw(MB2_TAG_MODULE, 20, "\0\0\x10\0\0\0\x20\0abcd", 12);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("tag type 3 at offset 0x30 (size 20): module string is not NUL-terminated");

	/* shorter than mod_start + mod_end */
	b_start();
	b_raw(MB2_TAG_MODULE, 12, "\0\0\x10\0", 4);
	b_mmap(seabios_e820, 1);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("tag type 3 at offset 0x8 (size 12): shorter than the 16 bytes");
}

static void test_bad_strings(void)
{
	b_start();
	b_raw(MB2_TAG_CMDLINE, 8 + 5, "hello", 5);
	b_mmap(seabios_e820, 1);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: tag type 1 at offset 0x8 (size 13): string is not NUL-terminated within "
		  "the tag");

	/* an empty cmdline tag has no room for the NUL either */
	b_start();
	b_raw(MB2_TAG_LOADER_NAME, 8, NULL, 0);
	b_mmap(seabios_e820, 1);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("tag type 2 at offset 0x8 (size 8): string is not NUL-terminated");
}

static void test_bad_acpi_efi_fb(void)
{
	uint8_t rsdp[36];

	make_rsdp(rsdp, 0, sizeof(rsdp));
	b_start();
	b_mmap(seabios_e820, 1);
	b_tag(MB2_TAG_ACPI_OLD, rsdp, 19);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: tag type 14 at offset 0x30 (size 27): shorter than the 28 bytes this tag "
		  "type needs");

	b_start();
	b_mmap(seabios_e820, 1);
	b_tag(MB2_TAG_ACPI_NEW, rsdp, 24);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("tag type 15 at offset 0x30 (size 32): shorter than the 44 bytes");

	b_start();
	b_mmap(seabios_e820, 1);
	b_tag(MB2_TAG_EFI64, rsdp, 4);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("tag type 12 at offset 0x30 (size 12): shorter than the 16 bytes");

	b_start();
	b_mmap(seabios_e820, 1);
	b_tag(MB2_TAG_FRAMEBUFFER, rsdp, 20);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("tag type 8 at offset 0x30 (size 28): shorter than the 31 bytes");
}

static void test_bad_efi_mmap(void)
{
	static const struct efi_desc d[] = { { 7, 0x100000, 0x100, 0 } };
	static const struct efi_desc huge[] = { { 7, 0x100000, 0x100, 0 },
						{ 7, 0x1000000, 1ULL << 60, 0 } };

	b_start();
	b_efi64(0x1000);
	b_efi_mmap(d, 1, 32);
	b_end();
	CHECK_EQ(parse(), -HV_EBADMSG);
	CHECK_LOG("mb2: tag type 17 at offset 0x18 (size 48): descriptor_size 32 is below 40");

	/* a descriptor whose size overflows 2^64 is dropped with a warning */
	b_start();
	b_efi64(0x1000);
	b_efi_mmap(huge, 2, 40);
	b_end();
	CHECK_EQ(parse(), 0);
	CHECK_EQ(BI.mem_count, 1);
	CHECK_LOG("descriptor 1 at 0x1000000 has 0x1000000000000000 pages, more than 2^64 bytes");
}

static void test_no_mmap(void)
{
	b_start();
	b_string(MB2_TAG_CMDLINE, "x");
	b_end();
	CHECK_EQ(parse(), -HV_ENOENT);
	CHECK_LOG("mb2: no memory map: neither a type 6 nor a type 17 tag");

	/* a map with only empty ranges is no map either */
	{
		static const struct e820 e[] = { { 0x100000, 0, 1 } };

		b_start();
		b_mmap(e, 1);
		b_end();
		CHECK_EQ(parse(), -HV_ENOENT);
		CHECK_LOG("mb2: no memory map");
	}
}

static void test_null_args(void)
{
	CHECK_EQ(mb2_parse(NULL, 100, &BI), -HV_EINVAL);
	CHECK_EQ(mb2_parse(B.buf, 100, NULL), -HV_EINVAL);
}

int main(void)
{
	test_bios_block();
	test_uefi_block();
	test_efi_bs_kept();
	test_efi32();
	test_both_mmaps();
	test_acpi_order();
	test_mmap_types_and_versions();
	test_truncations();
	test_too_many_modules();
	test_too_many_mmap_entries();
	test_duplicates();
	test_into_memmap();
	test_bad_sizes();
	test_bad_mmap();
	test_bad_module();
	test_bad_strings();
	test_bad_acpi_efi_fb();
	test_bad_efi_mmap();
	test_no_mmap();
	test_null_args();
	return check_summary();
}
