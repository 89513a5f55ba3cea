// SPDX-License-Identifier: GPL-2.0-only
/* Blob structure tests: each corrupted header, section, range or string is refused with its own message. */
#include "table_test.h"

static struct tt t;

static struct bh_table_header *hdr(void)
{
	return (struct bh_table_header *)t.blob;
}

static struct bh_partition *part(unsigned i)
{
	return (struct bh_partition *)((uint8_t *)t.blob +
				       hdr()->sections[BH_SECT_PARTITIONS].offset) +
	       i;
}

/* A fresh valid blob in t.blob. */
static void fresh(void)
{
	tt_good(&t);
	CHECK_EQ(tt_emit(&t), 0);
}

static void test_header(void)
{
	fresh();
	test_log_clear();
	CHECK_EQ(tt_check_blob(&t), 0);
	CHECK_EQ(hdr()->magic, BH_TABLE_MAGIC);
	CHECK(memcmp(t.blob, "BHTABLE", 8) == 0);
	CHECK_EQ(hdr()->total_size, t.size);

	fresh();
	t.size = 100;
	TT_REJECT_BLOB(&t, "table: blob of 100 bytes is smaller than the 208-byte header");

	fresh();
	test_log_clear();
	CHECK(table_parse(&t.view, (uint8_t *)t.blob + 4, t.size - 4) < 0);
	CHECK_LOG("is not 8-byte aligned");

	fresh();
	hdr()->magic ^= 1;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(
		&t,
		"table: bad magic 0x00454c4241544843, expected 0x00454c4241544842 (\"BHTABLE\")");

	fresh();
	hdr()->abi_version = 2;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: ABI version 2 is not supported (this build reads version 1)");

	fresh();
	hdr()->header_size = 200;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: header_size 200, expected 208");

	fresh();
	t.size -= 8; /* a truncated module */
	TT_REJECT_BLOB(&t, "is outside 208..");

	fresh();
	part(1)->name[0] = 'R'; /* a flipped byte, CRC not updated */
	test_log_clear();
	CHECK_EQ(tt_check_blob(&t), -HV_EBADMSG);
	CHECK_LOG("table: CRC32 0x");
	CHECK_LOG("in the header does not match the blob's 0x");

	fresh();
	hdr()->flags = 1;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: header flags 0x1 has unknown bits 0x1");

	fresh();
	hdr()->section_count = 12;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section_count 12, expected 11");
}

static void test_sections(void)
{
	fresh();
	hdr()->sections[BH_SECT_MEMORY].entry_size = 24;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section memory: entry_size 24, expected 32");

	fresh();
	hdr()->sections[BH_SECT_CPUS].reserved = 3;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section cpus: reserved field is 0x3, must be 0");

	fresh();
	hdr()->sections[BH_SECT_PIO].offset += 4;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section pio: offset 0x");
	CHECK_LOG("is not a multiple of 8");

	fresh();
	hdr()->sections[BH_SECT_LINKS].count = 3;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section links: 3 entries at offset 0x");
	CHECK_LOG("past total_size");

	fresh();
	hdr()->sections[BH_SECT_LINKS].count = 0xffffffff; /* 64-bit arithmetic: no wrap */
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section links: 4294967295 entries at offset 0x");

	fresh();
	hdr()->sections[BH_SECT_CPUS].offset = hdr()->sections[BH_SECT_MEMORY].offset + 32;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "overlaps section memory at 0x");

	fresh();
	hdr()->sections[BH_SECT_CPUS].offset = 16;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section cpus: offset 0x10 lies inside the header");

	fresh();
	hdr()->sections[BH_SECT_PLATFORM].count = 0;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section platform has 0 entries, expected 1");

	fresh();
	hdr()->sections[BH_SECT_PARTITIONS].count = 0;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: there are no partitions");

	fresh();
	hdr()->sections[BH_SECT_MMCONFIG].count = 65;
	hdr()->sections[BH_SECT_MMCONFIG].offset = 8;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section mmconfig: offset 0x8 lies inside the header");
}

static void test_ranges(void)
{
	fresh();
	part(2)->memory.count = 3;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition \"rtos2\" (id 2): memory range first 8 count 3 "
			   "exceeds the 10 records of section memory");

	fresh();
	part(1)->cpus.first = 1;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition \"rtos1\" (id 1): cpus range starts at 1, expected 2 "
			   "(where the previous partition's ends)");

	fresh();
	part(2)->memory.count = 1;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: section memory: records 9..9 belong to no partition");

	fresh();
	part(0)->pio.first = 0xffffffff;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition \"root\" (id 0): pio range first 4294967295 count 4 "
			   "exceeds the 5 records of section pio");
}

static void test_strings(void)
{
	fresh();
	memset(part(1)->name, 'x', sizeof(part(1)->name));
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition[1] name is not NUL-terminated within its 32 bytes");

	fresh();
	part(2)->name[0] = '\0';
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition[2] name is empty");

	fresh();
	part(2)->name[2] = '\n';
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition[2] name has byte 0x0a at offset 2 (only printable "
			   "ASCII is allowed)");

	fresh();
	memset(part(0)->image.cmdline, 'a', sizeof(part(0)->image.cmdline));
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition \"root\" (id 0): image cmdline is not NUL-terminated "
			   "within its 1024 bytes");

	fresh();
	part(0)->image.tag[1] = (char)0xff;
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: partition \"root\" (id 0): image tag has byte 0xff at offset 1");

	fresh();
	memset(part(0)->image.initrd_tag, 'i', sizeof(part(0)->image.initrd_tag));
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t,
		       "table: partition \"root\" (id 0): image initrd_tag is not NUL-terminated");

	fresh();
	((struct bh_platform *)((uint8_t *)t.blob + hdr()->sections[BH_SECT_PLATFORM].offset))
		->board[0] = '\0';
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: platform board is empty");

	fresh();
	{
		struct bh_link *l = (struct bh_link *)((uint8_t *)t.blob +
						       hdr()->sections[BH_SECT_LINKS].offset);

		memset(l[1].name, 'L', sizeof(l[1].name));
	}
	tt_fix_crc(&t);
	TT_REJECT_BLOB(&t, "table: link[1] name is not NUL-terminated within its 32 bytes");
}

static void test_emit(void)
{
	static char long_name[64];
	size_t need = 0;

	tt_good(&t);
	CHECK_EQ(table_emit(&t.d, NULL, 0, &need), -HV_ENOSPC);
	CHECK_EQ(need, 4784);
	CHECK_EQ(table_emit(&t.d, t.blob, need - 1, &need), -HV_ENOSPC);
	CHECK_EQ(table_emit(&t.d, t.blob, need, &need), 0);
	CHECK_EQ(table_blob_crc(t.blob, need), hdr()->crc32);
	/* the well-known check value of CRC-32/ISO-HDLC */
	CHECK_EQ(table_crc32(0, "123456789", 9), 0xcbf43926);

	memset(long_name, 'n', sizeof(long_name) - 1);
	tt_good(&t);
	t.parts[1].name = long_name;
	test_log_clear();
	CHECK_EQ(tt_emit(&t), -HV_E2BIG);
	CHECK_LOG("table: emit: partition \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\" name \"");
	CHECK_LOG("has 63 characters, at most 31 fit");

	tt_good(&t);
	t.peers[0][1].partition = "rtos9";
	test_log_clear();
	CHECK_EQ(tt_emit(&t), 0);
	CHECK_LOG("table: emit: link \"root-rtos1\" peer[1] names partition \"rtos9\", which the "
		  "table does not have");

	/* validate refuses a view that was never parsed */
	memset(&t.view, 0, sizeof(t.view));
	test_log_clear();
	CHECK_EQ(table_validate(&t.view, NULL, 0), -HV_EINVAL);
	CHECK_LOG("table: validate called without a parsed table");
}

static void test_names(void)
{
	char buf[128];

	table_mem_flags_str(BH_MEM_READ | BH_MEM_IO | (1u << 9), buf, sizeof(buf));
	CHECK_STR(buf, "READ|IO|0x200");
	table_mem_flags_str(0, buf, sizeof(buf));
	CHECK_STR(buf, "-");
	table_part_flags_str(BH_PART_ROOT | BH_PART_VIRTUAL_CONSOLE, buf, sizeof(buf));
	CHECK_STR(buf, "ROOT|VIRTUAL_CONSOLE");
	table_pci_cfg_str(BH_PCI_CFG_W_ALL, buf, sizeof(buf));
	CHECK_STR(buf, "ALL");
	table_pci_cfg_str(BH_PCI_CFG_W_DEFAULT, buf, sizeof(buf));
	CHECK_STR(buf, "COMMAND|BARS|MSI|MSIX");
	table_mem_flags_str(0xff, buf, 12); /* truncated, still terminated */
	CHECK(strlen(buf) < 12);
	CHECK_STR(table_section_name(BH_SECT_IRQCHIPS), "irqchips");
	CHECK_STR(table_section_name(99), "?");
	CHECK_STR(table_image_format_name(BH_IMAGE_RAW), "raw");
	CHECK_STR(table_arch_name(BH_ARCH_ARM64), "arm64");
}

/* table_move(): the view follows the copy; the old bytes may go. */
static void test_move(void)
{
	static uint64_t copy[16384];
	struct table_view v;
	const uint8_t *c = (const uint8_t *)copy;

	fresh();
	CHECK_EQ(table_parse(&v, t.blob, t.size), 0);
	table_move(&v, copy);
	memset(t.blob, 0, t.size);
	CHECK(v.blob == c);
	CHECK_EQ(v.size, t.size);
	CHECK((const uint8_t *)v.hdr == c);
	CHECK((const uint8_t *)v.parts > c && (const uint8_t *)v.parts < c + v.size);
	CHECK((const uint8_t *)v.platform > c && (const uint8_t *)v.platform < c + v.size);
	CHECK((const uint8_t *)v.irqchips >= c && (const uint8_t *)v.irqchips <= c + v.size);
	CHECK_STR(v.parts[0].name, "root");
	CHECK_STR(v.parts[1].name, "rtos1");
	CHECK_EQ(v.n[BH_SECT_PARTITIONS], 3);
	CHECK_EQ(table_part_cpus(&v, &v.parts[1])[0].hw_id, 2);
	/* and it parses from there as it did */
	CHECK_EQ(table_parse(&v, copy, v.size), 0);
}

int main(void)
{
	test_header();
	test_sections();
	test_ranges();
	test_strings();
	test_emit();
	test_names();
	test_move();
	return check_summary();
}
