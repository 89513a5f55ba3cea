// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for linux_build_e820() (arch/x86_64/linux_boot.c): the exact map
 * the QEMU demo's root (partitions/qemu-x86_64/demo.c, from its compiled
 * blob) sees on SeaBIOS and on OVMF after the hypervisor carved its memory,
 * and the policy rules one by one on small hand-made partitions.
 */
#include <stdlib.h>

#include "../check.h"
#include "root/linux_boot.h"
#include "bulkhead/table.h"
#include "core/errno.h"
#include "core/table.h"

#define KiB_(x) ((uint64_t)(x) << 10)
#define MiB_(x) ((uint64_t)(x) << 20)
#define GiB_(x) ((uint64_t)(x) << 30)

#define RAM_RW	(BH_MEM_READ | BH_MEM_WRITE | BH_MEM_EXEC | BH_MEM_DMA)
#define MMIO_RW (BH_MEM_READ | BH_MEM_WRITE | BH_MEM_IO)
#define SHM_RW	(BH_MEM_READ | BH_MEM_WRITE | BH_MEM_SHARED)

static struct partition root;
static struct memmap fw;
static struct e820_entry e[E820_MAX_ENTRIES_ZEROPAGE];
static int n;

/* QEMU 10 q35 -m 2G, SeaBIOS: the e820 map as GRUB passes it on. */
static const struct boot_mem_range seabios_2g[] = {
	{ 0x0, 0x9fc00, BOOT_MEM_RAM, 0 },
	{ 0x9fc00, 0x400, BOOT_MEM_RESERVED, 0 },
	{ 0xf0000, 0x10000, BOOT_MEM_RESERVED, 0 },
	{ 0x100000, 0x7fee0000, BOOT_MEM_RAM, 0 },
	{ 0x7ffe0000, 0x20000, BOOT_MEM_RESERVED, 0 },
	{ 0xb0000000, 0x10000000, BOOT_MEM_RESERVED, 0 },
	{ 0xfed1c000, 0x4000, BOOT_MEM_RESERVED, 0 },
	{ 0xfeffc000, 0x4000, BOOT_MEM_RESERVED, 0 },
	{ 0xfffc0000, 0x40000, BOOT_MEM_RESERVED, 0 },
};

/* QEMU q35 -m 2G, OVMF: NVS and reserved ranges inside low RAM, ACPI tables near the top. */
static const struct boot_mem_range ovmf_2g[] = {
	{ 0x0, 0xa0000, BOOT_MEM_RAM, 0 },
	{ 0x100000, 0x700000, BOOT_MEM_RAM, 0 },
	{ 0x800000, 0x8000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x808000, 0x3000, BOOT_MEM_RAM, 0 },
	{ 0x80b000, 0x1000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x80c000, 0x5000, BOOT_MEM_RAM, 0 },
	{ 0x811000, 0xef000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x900000, 0x7dfef000, BOOT_MEM_RAM, 0 },
	{ 0x7e8ef000, 0x280000, BOOT_MEM_RESERVED, 0 },
	{ 0x7eb6f000, 0x10000, BOOT_MEM_ACPI_RECLAIM, 0 },
	{ 0x7eb7f000, 0x80000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x7ebff000, 0x361000, BOOT_MEM_FIRMWARE, 0 },
	{ 0x7ef60000, 0x4000, BOOT_MEM_RESERVED, 0 },
	{ 0x7ef64000, 0x2000, BOOT_MEM_ACPI_NVS, 0 },
	{ 0x7ef66000, 0x1012000, BOOT_MEM_RAM, 0 },
	{ 0x7ff78000, 0x88000, BOOT_MEM_RESERVED, 0 },
	{ 0xb0000000, 0x10000000, BOOT_MEM_RESERVED, 0 },
	{ 0xffc00000, 0x400000, BOOT_MEM_RESERVED, 0 },
};

/* The QEMU demo's root partition, read from the blob the build made of demo.c. */
static bool load_demo_root(void)
{
	static uint64_t blob[65536 / 8];
	char path[512];
	struct table_view view;
	const struct bh_partition *p = NULL;
	const struct bh_mem_region *mem;
	size_t size;
	FILE *f;

	snprintf(path, sizeof(path), "%s/partitions/qemu-x86_64-demo.bin", BH_BINARY_DIR);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s is missing: build the partition-tables target first\n", path);
		check_failed++;
		return false;
	}
	size = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	CHECK_EQ(table_parse(&view, blob, size), 0);
	for (uint32_t i = 0; i < view.n[BH_SECT_PARTITIONS]; i++)
		if (view.parts[i].flags & BH_PART_ROOT)
			p = &view.parts[i];
	CHECK(p != NULL);
	if (!p)
		return false;
	memset(&root, 0, sizeof(root));
	mem = table_part_mem(&view, p);
	CHECK(p->memory.count <= PART_REGIONS_MAX);
	for (uint32_t i = 0; i < p->memory.count && i < PART_REGIONS_MAX; i++) {
		root.regions[i].gpa = mem[i].guest;
		root.regions[i].hpa = mem[i].host;
		root.regions[i].size = mem[i].size;
		root.regions[i].flags = mem[i].flags;
	}
	root.region_count = p->memory.count;
	return true;
}

/* The firmware map as the hypervisor keeps it after carving, as core/main.c does. */
static void firmware(const struct boot_mem_range *in, uint32_t count)
{
	CHECK_EQ(memmap_init(&fw, in, count), 0);
	CHECK_EQ(memmap_carve(&fw, MiB_(16), MiB_(2), MEM_HV_IMAGE), 0);
	CHECK_EQ(memmap_carve(&fw, MiB_(18), MiB_(62), MEM_HV_POOL), 0);
	/* GRUB's modules right after the hypervisor: in the root's memory */
	CHECK_EQ(memmap_carve(&fw, MiB_(80), MiB_(24), MEM_MODULE), 0);
	/* below 1 MiB: every RAM piece is carved as low memory */
	CHECK_EQ(memmap_carve(&fw, 0, fw.r[0].size, MEM_LOWMEM), 0);
}

static int build(unsigned max)
{
	test_log_clear();
	memset(e, 0xa5, sizeof(e));
	n = linux_build_e820(&root, &fw, e, max);
	return n;
}

#define CHECK_E820(i, b, end, t)                  \
	do {                                      \
		CHECK_EQ(e[i].addr, (b));         \
		CHECK_EQ(e[i].size, (end) - (b)); \
		CHECK_EQ(e[i].type, (t));         \
	} while (0)

/* Sorted, non-overlapping, non-empty, adjacent entries of one type merged. */
static bool e820_sane(void)
{
	for (int i = 0; i < n; i++) {
		if (e[i].size == 0 || e[i].type == 0)
			return false;
		if (i && e[i - 1].addr + e[i - 1].size > e[i].addr)
			return false;
		if (i && e[i - 1].addr + e[i - 1].size == e[i].addr && e[i - 1].type == e[i].type)
			return false;
	}
	return true;
}

/* True when no RAM entry touches [base, end). */
static bool no_ram_in(uint64_t base, uint64_t end)
{
	for (int i = 0; i < n; i++)
		if (e[i].type == E820_TYPE_RAM && e[i].addr < end && base < e[i].addr + e[i].size)
			return false;
	return true;
}

/* True when nothing at all touches [base, end). */
static bool absent(uint64_t base, uint64_t end)
{
	for (int i = 0; i < n; i++)
		if (e[i].addr < end && base < e[i].addr + e[i].size)
			return false;
	return true;
}

static void check_demo_isolation(void)
{
	CHECK(e820_sane());
	CHECK(absent(0x01000000, 0x05000000)); /* the hypervisor */
	CHECK(absent(0x20000000, 0x22000000)); /* rtos1 and rtos2 */
	CHECK(absent(0x22000000, 0x22200000)); /* the links: reached through ivshmem, not RAM */
	CHECK(no_ram_in(0x80000000, ~0ull));
}

static void test_demo_seabios(void)
{
	firmware(seabios_2g, ARRAY_SIZE(seabios_2g));
	CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 10);
	CHECK_E820(0, 0x0, 0x9f000, E820_TYPE_RAM);
	CHECK_E820(1, 0x9f000, 0xa0000, E820_TYPE_RESERVED);
	CHECK_E820(2, 0xf0000, 0x100000, E820_TYPE_RESERVED);
	CHECK_E820(3, 0x100000, 0x1000000, E820_TYPE_RAM);
	CHECK_E820(4, 0x5000000, 0x20000000, E820_TYPE_RAM); /* modules included: root RAM */
	CHECK_E820(5, 0x22200000, 0x7ffe0000, E820_TYPE_RAM);
	CHECK_E820(6, 0x7ffe0000, 0x80000000, E820_TYPE_RESERVED);
	CHECK_E820(7, 0xfed1c000, 0xfed20000, E820_TYPE_RESERVED); /* in the chipset MMIO region */
	CHECK_E820(8, 0xfeffc000, 0xff000000, E820_TYPE_RESERVED); /* in the flash region */
	CHECK_E820(9, 0xfffc0000, 0x100000000ull, E820_TYPE_RESERVED);
	/* MMCONFIG (0xb0000000) is in no root region: the hypervisor filters it */
	CHECK(absent(0xb0000000, 0xc0000000));
	check_demo_isolation();
}

static void test_demo_ovmf(void)
{
	firmware(ovmf_2g, ARRAY_SIZE(ovmf_2g));
	CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 18);
	CHECK_E820(0, 0x0, 0xa0000, E820_TYPE_RAM);
	CHECK_E820(1, 0x100000, 0x800000, E820_TYPE_RAM);
	CHECK_E820(2, 0x800000, 0x808000, E820_TYPE_NVS);
	CHECK_E820(3, 0x808000, 0x80b000, E820_TYPE_RAM);
	CHECK_E820(4, 0x80b000, 0x80c000, E820_TYPE_NVS);
	CHECK_E820(5, 0x80c000, 0x811000, E820_TYPE_RAM);
	CHECK_E820(6, 0x811000, 0x900000, E820_TYPE_NVS);
	CHECK_E820(7, 0x900000, 0x1000000, E820_TYPE_RAM);
	CHECK_E820(8, 0x5000000, 0x20000000, E820_TYPE_RAM);
	CHECK_E820(9, 0x22200000, 0x7e8ef000, E820_TYPE_RAM);
	CHECK_E820(10, 0x7e8ef000, 0x7eb6f000, E820_TYPE_RESERVED);
	CHECK_E820(11, 0x7eb6f000, 0x7eb7f000, E820_TYPE_ACPI);
	CHECK_E820(12, 0x7eb7f000, 0x7ebff000, E820_TYPE_NVS);
	/* EFI runtime (the root boots without EFI) joins the reserved range after it */
	CHECK_E820(13, 0x7ebff000, 0x7ef64000, E820_TYPE_RESERVED);
	CHECK_E820(14, 0x7ef64000, 0x7ef66000, E820_TYPE_NVS);
	CHECK_E820(15, 0x7ef66000, 0x7ff78000, E820_TYPE_RAM);
	CHECK_E820(16, 0x7ff78000, 0x80000000, E820_TYPE_RESERVED);
	CHECK_E820(17, 0xffc00000, 0x100000000ull, E820_TYPE_RESERVED);
	check_demo_isolation();

	/* the same with room for fewer entries */
	CHECK_EQ(build(17), -HV_ENOSPC);
	CHECK_LOG("linux: the root's e820 map needs more than 17 entries (at 0xffc00000)");
	CHECK_EQ(build(0), -HV_ENOSPC);
}

/* A root of the given regions, over a firmware map of the given ranges (no carving). */
static void setup(const struct part_region *r, unsigned nr, const struct boot_mem_range *f,
		  unsigned nf)
{
	memset(&root, 0, sizeof(root));
	memcpy(root.regions, r, nr * sizeof(*r));
	root.region_count = nr;
	CHECK_EQ(memmap_init(&fw, f, nf), 0);
}

static void test_rules(void)
{
	static const struct boot_mem_range f[] = {
		{ 0x0, 0x9f000, BOOT_MEM_RAM, 0 },
		{ 0x100000, 0x3ff00000, BOOT_MEM_RAM, 0 },
		{ 0x40000000, 0x10000, BOOT_MEM_ACPI_RECLAIM, 0 },
		{ 0x40010000, 0x10000, BOOT_MEM_ACPI_NVS, 0 },
		{ 0x40020000, 0x1000, BOOT_MEM_BAD, 0 },
		{ 0x40021000, 0x1000, BOOT_MEM_PERSISTENT, 0 },
		{ 0x40022000, 0x3ffde000, BOOT_MEM_RAM, 0 },
		{ 0xfee00000, 0x1000, BOOT_MEM_RESERVED, 0 },
	};

	/* RAM only where the root owns it; ACPI passes through without a region */
	{
		static const struct part_region r[] = {
			{ 0x100000, 0x100000, 0xf00000, RAM_RW },
		};

		setup(r, 1, f, ARRAY_SIZE(f));
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 3);
		CHECK_E820(0, 0x100000, 0x1000000, E820_TYPE_RAM);
		CHECK_E820(1, 0x40000000, 0x40010000, E820_TYPE_ACPI);
		CHECK_E820(2, 0x40010000, 0x40020000, E820_TYPE_NVS);
	}
	/* a region over every kind of firmware range: each keeps its type */
	{
		static const struct part_region r[] = {
			{ 0x3ff00000, 0x3ff00000, 0x200000, RAM_RW },
		};

		setup(r, 1, f, ARRAY_SIZE(f));
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 6);
		CHECK_E820(0, 0x3ff00000, 0x40000000, E820_TYPE_RAM);
		CHECK_E820(1, 0x40000000, 0x40010000, E820_TYPE_ACPI);
		CHECK_E820(2, 0x40010000, 0x40020000, E820_TYPE_NVS);
		CHECK_E820(3, 0x40020000, 0x40021000, E820_TYPE_UNUSABLE);
		CHECK_E820(4, 0x40021000, 0x40022000, E820_TYPE_PMEM);
		CHECK_E820(5, 0x40022000, 0x40100000, E820_TYPE_RAM);
	}
}

/* Not RAM to the root: MMIO, a link's memory, read-only or write-only; a firmware hole. */
static void test_rules_not_ram(void)
{
	static const struct boot_mem_range f[] = {
		{ 0x0, 0x9f000, BOOT_MEM_RAM, 0 },
		{ 0x100000, 0x3ff00000, BOOT_MEM_RAM, 0 },
		{ 0x40000000, 0x10000, BOOT_MEM_ACPI_RECLAIM, 0 },
		{ 0xfee00000, 0x1000, BOOT_MEM_RESERVED, 0 },
	};
	static const struct part_region r[] = {
		{ 0x1000000, 0x1000000, 0x100000, MMIO_RW },
		{ 0x2000000, 0x2000000, 0x100000, SHM_RW },
		{ 0x3000000, 0x3000000, 0x100000, BH_MEM_READ | BH_MEM_EXEC },
		{ 0x4000000, 0x4000000, 0x100000, BH_MEM_WRITE },
		{ 0x9e000, 0x9e000, 0x62000, RAM_RW }, /* 0x9f000-0x100000 is a hole */
		{ 0xfee00000, 0xfee00000, 0x1000, MMIO_RW },
	};

	setup(r, ARRAY_SIZE(r), f, ARRAY_SIZE(f));
	CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 3);
	CHECK_E820(0, 0x9e000, 0x9f000, E820_TYPE_RAM);
	CHECK_E820(1, 0x40000000, 0x40010000, E820_TYPE_ACPI);
	CHECK_E820(2, 0xfee00000, 0xfee01000, E820_TYPE_RESERVED); /* through an MMIO region */
}

static void test_rules_hv_and_translation(void)
{
	static const struct boot_mem_range f[] = {
		{ 0x100000, 0x7ff00000, BOOT_MEM_RAM, 0 },
		{ 0x80000000, 0x10000, BOOT_MEM_ACPI_RECLAIM, 0 },
	};

	/* a (wrong) root region over the hypervisor's memory: never RAM to the root */
	{
		static const struct part_region r[] = {
			{ 0x100000, 0x100000, 0x7ff00000, RAM_RW },
		};

		setup(r, 1, f, ARRAY_SIZE(f));
		CHECK_EQ(memmap_carve(&fw, MiB_(16), MiB_(2), MEM_HV_IMAGE), 0);
		CHECK_EQ(memmap_carve(&fw, MiB_(18), MiB_(14), MEM_HV_POOL), 0);
		CHECK_EQ(memmap_carve(&fw, MiB_(64), MiB_(16), MEM_PARTITION), 0);
		CHECK_EQ(memmap_carve(&fw, MiB_(96), MiB_(1), MEM_BOOTINFO), 0);
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 3);
		CHECK_E820(0, 0x100000, MiB_(16), E820_TYPE_RAM);
		CHECK_E820(1, MiB_(32), 0x80000000, E820_TYPE_RAM);
		CHECK_E820(2, 0x80000000, 0x80010000, E820_TYPE_ACPI);
	}
	/* a region not mapped 1:1: RAM at its guest address, firmware types translated */
	{
		static const struct part_region r[] = {
			{ 0x0, 0x7ff80000, 0x100000, RAM_RW },
		};

		setup(r, 1, f, ARRAY_SIZE(f));
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 3);
		CHECK_E820(0, 0x0, 0x80000, E820_TYPE_RAM);
		CHECK_E820(1, 0x80000, 0x90000,
			   E820_TYPE_ACPI); /* the ACPI range seen through it */
		CHECK_E820(2, 0x80000000, 0x80010000, E820_TYPE_ACPI); /* and at its own address */
	}
	/* regions overlapping in guest space (a bad table): RAM only where all of them say so */
	{
		static const struct part_region r[] = {
			{ 0x1000000, 0x1000000, 0x1000000, RAM_RW },
			{ 0x1800000, 0x3000000, 0x1000, RAM_RW }, /* shows the hypervisor's page */
			{ 0x1900000, 0x1900000, 0x1000, MMIO_RW },
		};

		setup(r, ARRAY_SIZE(r), f, ARRAY_SIZE(f));
		CHECK_EQ(memmap_carve(&fw, 0x3000000, 0x1000, MEM_HV_IMAGE), 0);
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 4);
		CHECK_E820(0, 0x1000000, 0x1800000, E820_TYPE_RAM);
		CHECK_E820(1, 0x1801000, 0x1900000, E820_TYPE_RAM);
		CHECK_E820(2, 0x1901000, 0x2000000, E820_TYPE_RAM);
		CHECK_E820(3, 0x80000000, 0x80010000, E820_TYPE_ACPI);
	}
	/* a region whose guest range overlaps an ACPI range: ACPI wins over RAM */
	{
		static const struct part_region r[] = {
			{ 0x7fff0000, 0x1000000, 0x30000, RAM_RW },
		};

		setup(r, 1, f, ARRAY_SIZE(f));
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 3);
		CHECK_E820(0, 0x7fff0000, 0x80000000, E820_TYPE_RAM);
		CHECK_E820(1, 0x80000000, 0x80010000, E820_TYPE_ACPI);
		CHECK_E820(2, 0x80010000, 0x80020000, E820_TYPE_RAM);
	}
	/* regions that wrap are left out with a warning; an empty root sees only ACPI */
	{
		static const struct part_region r[] = {
			{ 0xfffffffffff00000ull, 0x100000, 0x200000, RAM_RW },
			{ 0x100000, 0xfffffffffff00000ull, 0x200000, RAM_RW },
			{ 0x100000, 0x100000, 0, RAM_RW },
		};

		setup(r, ARRAY_SIZE(r), f, ARRAY_SIZE(f));
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 1);
		CHECK_E820(0, 0x80000000, 0x80010000, E820_TYPE_ACPI);
		CHECK_LOG("linux: root region 0 (gpa 0xfffffffffff00000, hpa 0x100000, size "
			  "0x200000) "
			  "is empty or wraps; left out of the e820 map");
		CHECK_LOG("linux: root region 2 (gpa 0x100000, hpa 0x100000, size 0x0)");
	}
	/* a region reaching the top of the address space */
	{
		static const struct boot_mem_range top[] = {
			{ 0xfffffffffff00000ull, 0xff000, BOOT_MEM_RESERVED, 0 },
		};
		static const struct part_region r[] = {
			{ 0xfffffffffff00000ull, 0xfffffffffff00000ull, 0xff000, MMIO_RW },
		};

		setup(r, 1, top, 1);
		CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), 1);
		CHECK_E820(0, 0xfffffffffff00000ull, 0xfffffffffffff000ull, E820_TYPE_RESERVED);
	}
	/* bad arguments */
	root.region_count = PART_REGIONS_MAX + 1;
	CHECK_EQ(build(E820_MAX_ENTRIES_ZEROPAGE), -HV_EINVAL);
	CHECK_LOG("linux: root has 33 regions (max 32)");
	CHECK_EQ(linux_build_e820(NULL, &fw, e, 1), -HV_EINVAL);
	CHECK_EQ(linux_build_e820(&root, NULL, e, 1), -HV_EINVAL);
}

int main(void)
{
	if (load_demo_root()) {
		test_demo_seabios();
		test_demo_ovmf();
	}
	test_rules();
	test_rules_not_ram();
	test_rules_hv_and_translation();
	return check_summary();
}
