// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the UEFI loader's memory map conversion and checks (boot/uefi/uefi_mmap.c). */
#include "../check.h"
#include "core/errno.h"
#include "../../../boot/uefi/uefi_mmap.h"

#define PG	 4096ULL
#define DESC_MAX 400

/* Firmware may use descriptors larger than the spec's 40 bytes; test with 48 like OVMF. */
#define DSIZE 48

static uint8_t map[DESC_MAX * 64];
static size_t map_len, dsize = DSIZE;
static struct boot_info bi;

static void map_reset(size_t desc_size)
{
	memset(map, 0xa5, sizeof(map)); /* padding bytes must not matter */
	map_len = 0;
	dsize = desc_size;
}

static void add(uint32_t type, uint64_t base, uint64_t pages)
{
	struct uefi_mem_desc d = { .type = type, .phys_start = base, .pages = pages };

	memcpy(map + map_len, &d, sizeof(d));
	map_len += dsize;
}

static int convert(void)
{
	test_log_clear();
	memset(&bi, 0, sizeof(bi));
	return uefi_mmap_convert(map, map_len, dsize, &bi);
}

static void check_range(uint32_t i, uint64_t base, uint64_t size, uint32_t type)
{
	CHECK_EQ(bi.mem[i].base, base);
	CHECK_EQ(bi.mem[i].size, size);
	CHECK_EQ(bi.mem[i].type, type);
}

static void test_types(void)
{
	CHECK_EQ(uefi_mem_type(UEFI_MT_CONVENTIONAL), BOOT_MEM_RAM);
	CHECK_EQ(uefi_mem_type(UEFI_MT_BS_CODE), BOOT_MEM_RAM);
	CHECK_EQ(uefi_mem_type(UEFI_MT_BS_DATA), BOOT_MEM_RAM);
	CHECK_EQ(uefi_mem_type(UEFI_MT_LOADER_CODE), BOOT_MEM_RAM);
	CHECK_EQ(uefi_mem_type(UEFI_MT_LOADER_DATA), BOOT_MEM_RAM);
	CHECK_EQ(uefi_mem_type(UEFI_MT_ACPI_RECLAIM), BOOT_MEM_ACPI_RECLAIM);
	CHECK_EQ(uefi_mem_type(UEFI_MT_ACPI_NVS), BOOT_MEM_ACPI_NVS);
	CHECK_EQ(uefi_mem_type(UEFI_MT_RT_CODE), BOOT_MEM_FIRMWARE);
	CHECK_EQ(uefi_mem_type(UEFI_MT_RT_DATA), BOOT_MEM_FIRMWARE);
	CHECK_EQ(uefi_mem_type(UEFI_MT_UNUSABLE), BOOT_MEM_BAD);
	CHECK_EQ(uefi_mem_type(UEFI_MT_PERSISTENT), BOOT_MEM_PERSISTENT);
	CHECK_EQ(uefi_mem_type(UEFI_MT_RESERVED), BOOT_MEM_RESERVED);
	CHECK_EQ(uefi_mem_type(UEFI_MT_MMIO), BOOT_MEM_RESERVED);
	CHECK_EQ(uefi_mem_type(UEFI_MT_MMIO_PORT), BOOT_MEM_RESERVED);
	CHECK_EQ(uefi_mem_type(UEFI_MT_PAL_CODE), BOOT_MEM_RESERVED);
	CHECK_EQ(uefi_mem_type(15), BOOT_MEM_RESERVED); /* unaccepted memory */
	CHECK_EQ(uefi_mem_type(0x70000000), BOOT_MEM_RESERVED);
	CHECK_EQ(uefi_mem_type(0x80000001), BOOT_MEM_RESERVED);
}

/* A map shaped like OVMF's: unsorted, many small runs of one kind. */
static void test_convert(void)
{
	map_reset(DSIZE);
	add(UEFI_MT_BS_CODE, 0, 1);
	add(UEFI_MT_CONVENTIONAL, PG, 0x9f);
	add(UEFI_MT_MMIO, 0xfec00000, 1);
	add(UEFI_MT_BS_DATA, 0x900000, 0xc00); /* out of order */
	add(UEFI_MT_CONVENTIONAL, 0x100000, 0x706);
	add(UEFI_MT_ACPI_NVS, 0x806000, 2);
	add(UEFI_MT_CONVENTIONAL, 0x808000, 8);
	add(UEFI_MT_ACPI_NVS, 0x810000, 0xf0);
	add(UEFI_MT_LOADER_DATA, 0x1500000, 0x10);
	add(UEFI_MT_RT_DATA, 0x1510000, 4);
	add(UEFI_MT_RT_CODE, 0x1514000, 4);
	add(UEFI_MT_CONVENTIONAL, 0x1518000, 0); /* empty: dropped */
	add(UEFI_MT_ACPI_RECLAIM, 0x1f000000, 0x10);
	add(UEFI_MT_UNUSABLE, 0x1f010000, 1);
	add(UEFI_MT_PERSISTENT, 0x100000000ULL, 0x100);
	CHECK_EQ(convert(), 0);
	CHECK_STR(test_log_text(), "");
	CHECK_EQ(bi.flags, BOOT_INFO_F_EFI_MMAP);
	CHECK_EQ(bi.mem_count, 11);
	check_range(0, 0, 0xa0 * PG, BOOT_MEM_RAM);
	check_range(1, 0x100000, 0x706 * PG, BOOT_MEM_RAM);
	check_range(2, 0x806000, 2 * PG, BOOT_MEM_ACPI_NVS);
	check_range(3, 0x808000, 8 * PG, BOOT_MEM_RAM);
	check_range(4, 0x810000, 0xf0 * PG, BOOT_MEM_ACPI_NVS);
	check_range(5, 0x900000, (0xc00 + 0x10) * PG, BOOT_MEM_RAM); /* BS data + loader data */
	check_range(6, 0x1510000, 8 * PG, BOOT_MEM_FIRMWARE);	     /* RT data + RT code */
	check_range(7, 0x1f000000, 0x10 * PG, BOOT_MEM_ACPI_RECLAIM);
	check_range(8, 0x1f010000, PG, BOOT_MEM_BAD);
	check_range(9, 0xfec00000, PG, BOOT_MEM_RESERVED);
	check_range(10, 0x100000000ULL, 0x100 * PG, BOOT_MEM_PERSISTENT);

	/* A range that fills the gap between two of its type joins all three. */
	map_reset(sizeof(struct uefi_mem_desc));
	add(UEFI_MT_CONVENTIONAL, 0, 1);
	add(UEFI_MT_CONVENTIONAL, 2 * PG, 1);
	add(UEFI_MT_BS_DATA, PG, 1);
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, 1);
	check_range(0, 0, 3 * PG, BOOT_MEM_RAM);

	/* Overlaps are kept as they are; core's memmap resolves them. */
	map_reset(DSIZE);
	add(UEFI_MT_CONVENTIONAL, 0, 4);
	add(UEFI_MT_RESERVED, 2 * PG, 4);
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, 2);

	/* A map size that is not a whole number of descriptors: the tail is ignored. */
	map_reset(DSIZE);
	add(UEFI_MT_CONVENTIONAL, 0, 4);
	map_len += DSIZE - 1;
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, 1);

	/* An empty map gives no ranges, and old ones are cleared. */
	bi.mem_count = 3;
	CHECK_EQ(uefi_mmap_convert(map, 0, DSIZE, &bi), 0);
	CHECK_EQ(bi.mem_count, 0);
}

static void test_bad_entries(void)
{
	unsigned i;

	map_reset(DSIZE);
	CHECK_EQ(uefi_mmap_convert(map, 4 * 39, 39, &bi), -HV_EINVAL);
	CHECK_LOG("uefi: memory map descriptor size 39 is below 40");

	map_reset(DSIZE);
	add(UEFI_MT_CONVENTIONAL, 0x1000, 4);
	add(UEFI_MT_CONVENTIONAL, 0x10800, 4);			  /* unaligned */
	add(UEFI_MT_CONVENTIONAL, 0x20000, UINT64_MAX >> 11);	  /* pages * 4096 wraps */
	add(UEFI_MT_CONVENTIONAL, UINT64_MAX - 0xfff, 1);	  /* ends at 2^64 */
	add(UEFI_MT_CONVENTIONAL, 0xfffffffffff00000ULL, 0x1000); /* runs past 2^64 */
	add(UEFI_MT_CONVENTIONAL, 0x5000, 1);
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, 1);
	check_range(0, 0x1000, 5 * PG, BOOT_MEM_RAM);
	CHECK_LOG("uefi: memory map entry 1 (type 7, 0x4 pages at 0x10800) is unaligned or "
		  "wraps; dropped");
	CHECK_LOG("memory map entry 2 (type 7, 0x1fffffffffffff pages at 0x20000)");
	CHECK_LOG("memory map entry 3 (type 7, 0x1 pages at 0xfffffffffffff000)");
	CHECK_LOG("memory map entry 4 (type 7, 0x1000 pages at 0xfffffffffff00000)");

	map_reset(DSIZE);
	for (i = 0; i < 7; i++)
		add(UEFI_MT_CONVENTIONAL, 0x10 + i, 1);
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, 0);
	CHECK_LOG("uefi: 3 more bad memory map entries dropped");
}

static void test_truncated(void)
{
	unsigned i;

	/* Alternating types: nothing merges, so 300 ranges stay 300. */
	map_reset(DSIZE);
	for (i = 0; i < 300; i++)
		add(i % 2 ? UEFI_MT_RESERVED : UEFI_MT_CONVENTIONAL, (uint64_t)i * PG, 1);
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, BOOT_MEMMAP_MAX);
	CHECK(bi.flags & BOOT_INFO_F_MEM_TRUNCATED);
	CHECK_LOG("uefi: memory map has more than 256 ranges; the rest are dropped");
	check_range(BOOT_MEMMAP_MAX - 1, (BOOT_MEMMAP_MAX - 1) * PG, PG, BOOT_MEM_RESERVED);

	/* Many descriptors that merge into few are not truncated. */
	map_reset(DSIZE);
	for (i = 0; i < DESC_MAX; i++)
		add(i % 2 ? UEFI_MT_BS_DATA : UEFI_MT_CONVENTIONAL, (uint64_t)(DESC_MAX - i) * PG,
		    1);
	CHECK_EQ(convert(), 0);
	CHECK_EQ(bi.mem_count, 1);
	CHECK(!(bi.flags & BOOT_INFO_F_MEM_TRUNCATED));
	check_range(0, PG, DESC_MAX * PG, BOOT_MEM_RAM);
}

static void test_find_and_reusable(void)
{
	uint64_t base = 0, size = 0;
	uint32_t type = 0;

	map_reset(DSIZE);
	add(UEFI_MT_CONVENTIONAL, 0x100000, 0x100);
	add(UEFI_MT_BS_DATA, 0x900000, 0xc00);
	add(UEFI_MT_CONVENTIONAL, 0x1500000, 0x100);
	add(UEFI_MT_LOADER_DATA, 0x1600000, 0x10);
	add(UEFI_MT_RT_DATA, 0x1610000, 0x10);
	add(UEFI_MT_BS_CODE, 0x800000, 0x100);

	CHECK(uefi_mmap_find(map, map_len, dsize, 0x1000123, &base, &size, &type));
	CHECK_EQ(base, 0x900000);
	CHECK_EQ(size, 0xc00 * PG);
	CHECK_EQ(type, UEFI_MT_BS_DATA);
	CHECK(!uefi_mmap_find(map, map_len, dsize, 0x1620000, &base, &size, &type));
	CHECK(!uefi_mmap_find(map, map_len, 39, 0x100000, &base, &size, &type));

	test_log_clear();
	/* BS code, BS data and conventional memory in a row: all given up at exit. */
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x800000, 0xe00000, false), 0);
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x1000000, 0x8000, false), 0);
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x1000000, 0, false), 0);
	CHECK_STR(test_log_text(), "");
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x1500000, 0x101000, false),
		 -HV_EBUSY);
	CHECK_LOG("uefi: 0x1600000 is firmware memory of EFI type 2, which outlives "
		  "ExitBootServices");
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x1500000, 0x110000, true), 0);
	test_log_clear();
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x1500000, 0x111000, true),
		 -HV_EBUSY);
	CHECK_LOG("uefi: 0x1610000 is firmware memory of EFI type 6");
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x200000, 0x1000, false), -HV_EBUSY);
	CHECK_LOG("uefi: 0x200000 is in no memory map entry");
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, 0x1620000, 0x1000, true), -HV_EBUSY);
	CHECK_LOG("uefi: 0x1620000 is in no memory map entry");
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, dsize, UINT64_MAX, 2, false), -HV_EINVAL);
	CHECK_LOG("uefi: cannot check 0xffffffffffffffff (+0x2)");
	CHECK_EQ(uefi_mmap_check_reusable(map, map_len, 8, 0x100000, 1, false), -HV_EINVAL);
	CHECK_LOG("against a map with descriptor size 8");
}

int main(void)
{
	test_types();
	test_convert();
	test_bad_entries();
	test_truncated();
	test_find_and_reusable();
	return check_summary();
}
