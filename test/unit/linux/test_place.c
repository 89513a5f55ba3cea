// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for linux_place() and linux_e820_set() (arch/x86_64/linux_boot.c):
 * where kernel, initrd and boot structures land in the QEMU demo root's
 * memory and in small hand-made maps, that nothing overlaps or leaves RAM,
 * and every refusal with its log line.
 */
#include "../check.h"
#include "bz_builder.h"
#include "core/errno.h"

static uint8_t img[T_IMAGE_LEN];
static struct bzimage_info info;
static struct linux_layout lay;
static struct e820_entry e[E820_MAX_ENTRIES_ZEROPAGE];
static unsigned n;

static const struct linux_sizes default_sizes = {
	.initrd_size = 0x2000000,
	.cmdline_len = 21,
	.pgtable_pages = LINUX_PGTABLE_PAGES_DEFAULT,
	.acpi_size = 0x300,
};

static int place(const struct linux_sizes *sz, const struct linux_range *avoid, unsigned n_avoid)
{
	test_log_clear();
	return linux_place(&info, sz, e, n, avoid, n_avoid, &lay);
}

static bool in_ram(uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (e[i].type == E820_TYPE_RAM && e[i].addr <= base &&
		    base + size <= e[i].addr + e[i].size)
			return true;
	return false;
}

static bool disjoint(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return !as || !bs || a + as <= b || b + bs <= a;
}

/* What every successful placement must satisfy. */
static void check_layout_sane(const struct linux_range *avoid, unsigned n_avoid)
{
	CHECK(in_ram(lay.kernel_addr, lay.kernel_size));
	CHECK(IS_ALIGNED(lay.kernel_addr, info.kernel_alignment) || !info.relocatable);
	CHECK(lay.kernel_addr >= MIN(info.pref_address, LINUX_KERNEL_MIN));
	CHECK(lay.kernel_addr + lay.kernel_size <= LINUX_PLACE_LIMIT);
	CHECK(in_ram(lay.low_base, lay.low_size));
	CHECK(lay.low_base >= LINUX_LOW_MIN);
	CHECK(IS_ALIGNED(lay.low_base, PAGE_SIZE));
	CHECK(disjoint(lay.kernel_addr, lay.kernel_size, lay.low_base, lay.low_size));
	if (lay.initrd_size) {
		CHECK(in_ram(lay.initrd_addr, lay.initrd_size));
		CHECK(IS_ALIGNED(lay.initrd_addr, PAGE_SIZE));
		CHECK(lay.initrd_addr + lay.initrd_size - 1 <= info.initrd_addr_max);
		CHECK(disjoint(lay.kernel_addr, lay.kernel_size, lay.initrd_addr, lay.initrd_size));
		CHECK(disjoint(lay.low_base, lay.low_size, lay.initrd_addr, lay.initrd_size));
	}
	for (unsigned i = 0; i < n_avoid; i++) {
		CHECK(disjoint(lay.kernel_addr, lay.kernel_size, avoid[i].base, avoid[i].size));
		CHECK(disjoint(lay.low_base, lay.low_size, avoid[i].base, avoid[i].size));
		CHECK(disjoint(lay.initrd_addr, lay.initrd_size, avoid[i].base, avoid[i].size));
	}
}

static void one_ram(uint64_t base, uint64_t size)
{
	n = 1;
	e[0] = (struct e820_entry){ base, size, E820_TYPE_RAM };
}

/* The QEMU demo: 16-80 MiB is the hypervisor's, so the kernel cannot have pref_address. */
static void test_demo(void)
{
	n = t_demo_e820(e);
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, 0x5000000);
	CHECK_EQ(lay.kernel_size, T_INIT_BYTES);
	CHECK_EQ(lay.initrd_addr, 0x7ffe0000 - 0x2000000);
	CHECK_EQ(lay.initrd_size, 0x2000000);
	CHECK_EQ(lay.low_base, 0x100000);
	CHECK_EQ(lay.boot_params_addr, 0x100000);
	CHECK_EQ(lay.gdt_addr, 0x101000);
	CHECK_EQ(lay.pgtable_addr, 0x102000);
	CHECK_EQ(lay.pgtable_size, 6 * PAGE_SIZE);
	CHECK_EQ(lay.acpi_addr, 0x108000);
	CHECK_EQ(lay.acpi_size, 0x300);
	CHECK_EQ(lay.cmdline_addr, 0x109000);
	CHECK_EQ(lay.cmdline_len, 21);
	CHECK_EQ(lay.low_size, 0xa000);
	CHECK_LOG("linux: kernel at 0x5000000-0x7000000, initrd at 0x7dfe0000 (0x2000000 bytes), "
		  "boot_params at 0x100000, command line at 0x109000");
	check_layout_sane(NULL, 0);

	/* GRUB's modules at 80 MiB: the kernel steps over them, the initrd under the top one */
	{
		static const struct linux_range mods[] = {
			{ 0x5000000, 0x800000 },  /* bzImage */
			{ 0x5800000, 0x1801000 }, /* initrd module */
			{ 0x7ff00000, 0xe0000 },  /* a module at the top of RAM */
			{ 0x100000, 0x1000 },	  /* something at 1 MiB */
		};

		CHECK_EQ(place(&default_sizes, mods, ARRAY_SIZE(mods)), 0);
		CHECK_EQ(lay.kernel_addr, 0x7200000);
		CHECK_EQ(lay.initrd_addr, 0x7ff00000 - 0x2000000);
		CHECK_EQ(lay.low_base, 0x101000);
		check_layout_sane(mods, ARRAY_SIZE(mods));
	}

	/* a lower initrd_addr_max pulls the initrd down */
	info.initrd_addr_max = 0x3fffffff;
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.initrd_addr, 0x40000000 - 0x2000000);
	check_layout_sane(NULL, 0);
	/* an odd initrd size still starts on a page */
	{
		struct linux_sizes sz = default_sizes;

		sz.initrd_size = 0x1234567;
		CHECK_EQ(place(&sz, NULL, 0), 0);
		CHECK_EQ(lay.initrd_addr, ALIGN_DOWN(0x40000000 - 0x1234567, PAGE_SIZE));
		check_layout_sane(NULL, 0);
	}
	info.initrd_addr_max = 0x7fffffff;
}

static void test_pref_address(void)
{
	/* plenty of RAM: the kernel goes to pref_address */
	one_ram(0x100000, 0x7ff00000);
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, T_PREF);
	check_layout_sane(NULL, 0);

	/* pref_address must fit in ONE RAM entry: split the RAM at 20 MiB */
	n = 2;
	e[0] = (struct e820_entry){ 0x100000, 0x1400000 - 0x100000, E820_TYPE_RAM };
	e[1] = (struct e820_entry){ 0x1400000, 0x40000000, E820_TYPE_RAM };
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, 0x1400000);
	check_layout_sane(NULL, 0);

	/* an avoided range inside [pref, pref + size) also moves it */
	{
		static const struct linux_range mod[] = { { 0x2000000, 0x1000 } };

		one_ram(0x100000, 0x7ff00000);
		CHECK_EQ(place(&default_sizes, mod, 1), 0);
		CHECK_EQ(lay.kernel_addr, 0x2200000);
		check_layout_sane(mod, 1);
	}

	/* pref_address not aligned to kernel_alignment: searched from 16 MiB, aligned */
	info.kernel_alignment = 0x4000000;
	info.mem_size = 0x4000000;
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, 0x4000000);
	check_layout_sane(NULL, 0);
	CHECK_EQ(bzimage_parse(img, T_IMAGE_LEN, &info), 0);

	/* a higher pref_address is a floor: the decompressor would move up to it */
	info.pref_address = 0x8000000;
	n = 2;
	e[0] = (struct e820_entry){ 0x100000, 0x7f00000, E820_TYPE_RAM };
	e[1] = (struct e820_entry){ 0x8200000, 0x10000000, E820_TYPE_RAM };
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, 0x8200000);
	check_layout_sane(NULL, 0);
	CHECK_EQ(bzimage_parse(img, T_IMAGE_LEN, &info), 0);

	/* not relocatable: pref_address or nothing */
	info.relocatable = 0;
	one_ram(0x100000, 0x7ff00000);
	CHECK_EQ(place(&default_sizes, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, T_PREF);
	n = t_demo_e820(e);
	CHECK_EQ(place(&default_sizes, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("linux: the kernel is not relocatable and 0x1000000-0x3000000 (pref_address + "
		  "0x2000000) is not free root RAM below 4 GiB");
	info.relocatable = 1;
}

static void test_refusals(void)
{
	struct linux_sizes sz = default_sizes;

	/* no RAM at or above 16 MiB big enough for the kernel */
	one_ram(0x100000, 0x2e00000);
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("linux: no room for the kernel: 0x2000000 bytes aligned to 0x200000 in root RAM "
		  "from 0x1000000 to 4 GiB");
	/* RAM only above 4 GiB */
	one_ram(0x100000000ull, 0x100000000ull);
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("linux: no room for the kernel");
	/* RAM running past 4 GiB: the part below is used */
	one_ram(0xf0000000ull, 0x100000000ull);
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC); /* initrd_addr_max 0x7fffffff */
	CHECK_LOG("linux: no room for the initrd");
	info.initrd_addr_max = 0xffffffff;
	CHECK_EQ(place(&sz, NULL, 0), 0);
	CHECK_EQ(lay.kernel_addr, 0xf0000000);
	CHECK_EQ(lay.initrd_addr, 0x100000000ull - 0x2000000);
	CHECK_EQ(lay.low_base, 0xf2000000);
	check_layout_sane(NULL, 0);
	info.initrd_addr_max = 0x7fffffff;

	/* room for the kernel, none for the initrd */
	one_ram(0x1000000, 0x2400000);
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("linux: no room for the initrd: 0x2000000 bytes in root RAM from 1 MiB to "
		  "0x80000000 (initrd_addr_max 0x7fffffff)");
	/* ... nor for the boot structures */
	sz.initrd_size = 0x3f8000; /* 32 KiB left below it: not enough */
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG(
		"linux: no room for the boot structures: 0xa000 bytes in root RAM from 1 MiB to 4 "
		"GiB");
	sz.initrd_size = 0x3f6000; /* exactly what is left */
	CHECK_EQ(place(&sz, NULL, 0), 0);
	CHECK_EQ(lay.initrd_addr, 0x300a000);
	CHECK_EQ(lay.low_base, 0x3000000);
	check_layout_sane(NULL, 0);
	/* no initrd at all */
	sz.initrd_size = 0;
	CHECK_EQ(place(&sz, NULL, 0), 0);
	CHECK_EQ(lay.initrd_addr, 0);
	CHECK_EQ(lay.initrd_size, 0);
	CHECK_EQ(lay.low_base, 0x3000000);

	/* low memory below 1 MiB is never used for the boot structures */
	n = 2;
	e[0] = (struct e820_entry){ 0x1000, 0x9e000, E820_TYPE_RAM };
	e[1] = (struct e820_entry){ 0x1000000, 0x2000000, E820_TYPE_RAM };
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("no room for the boot structures");
	/* nor reserved or ACPI memory */
	e[1].type = E820_TYPE_RESERVED;
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("no room for the kernel");

	/* sizes */
	n = t_demo_e820(e);
	sz = default_sizes;
	sz.cmdline_len = 0;
	CHECK_EQ(place(&sz, NULL, 0), -HV_EINVAL);
	CHECK_LOG("linux: command line length 0: it needs at least its terminating NUL");
	sz.cmdline_len = T_CMDLINE_MAX + 2;
	CHECK_EQ(place(&sz, NULL, 0), -HV_EINVAL);
	CHECK_LOG(
		"linux: command line of 2048 bytes is longer than the kernel's cmdline_size 2047");
	sz.cmdline_len = T_CMDLINE_MAX + 1;
	CHECK_EQ(place(&sz, NULL, 0), 0);
	CHECK_EQ(lay.low_size, 0x9000 + 0x1000);
	sz.initrd_size = LINUX_PLACE_LIMIT;
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG(
		"linux: initrd 0x100000000, ACPI copies 0x300, command line 0x800 bytes or 6 page "
		"table pages: too large for memory below 4 GiB");
	sz.initrd_size = 0;
	sz.pgtable_pages = 0xffffffff;
	CHECK_EQ(place(&sz, NULL, 0), -HV_ENOSPC);
	CHECK_LOG("4294967295 page table pages: too large");
	sz.pgtable_pages = 0;
	sz.acpi_size = 0;
	CHECK_EQ(place(&sz, NULL, 0), 0);
	CHECK_EQ(lay.acpi_addr, 0);
	CHECK_EQ(lay.pgtable_size, 0);
	CHECK_EQ(lay.cmdline_addr, lay.boot_params_addr + 2 * PAGE_SIZE);
	CHECK_EQ(linux_place(NULL, &sz, e, n, NULL, 0, &lay), -HV_EINVAL);
	CHECK_EQ(linux_place(&info, &sz, NULL, 1, NULL, 0, &lay), -HV_EINVAL);

	/* an avoided range that wraps around the top does not crash the search */
	{
		static const struct linux_range wrap[] = { { 0xffffffffffff0000ull, 0x20000 } };

		CHECK_EQ(place(&default_sizes, wrap, 1), 0);
		CHECK_EQ(lay.kernel_addr, 0x5000000);
	}
}

static void test_e820_set(void)
{
	unsigned cnt;

	n = t_demo_e820(e);
	cnt = n;
	test_log_clear();
	/* the ACPI copies in the middle of the 1-16 MiB RAM: split in three */
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0x108000, 0x300, E820_TYPE_ACPI), 0);
	CHECK_EQ(cnt, n + 2);
	CHECK_EQ(e[3].addr, 0x100000);
	CHECK_EQ(e[3].size, 0x8000);
	CHECK_EQ(e[3].type, E820_TYPE_RAM);
	CHECK_EQ(e[4].addr, 0x108000);
	CHECK_EQ(e[4].size, 0x300);
	CHECK_EQ(e[4].type, E820_TYPE_ACPI);
	CHECK_EQ(e[5].addr, 0x108300);
	CHECK_EQ(e[5].size, 0x1000000 - 0x108300);
	CHECK_EQ(e[5].type, E820_TYPE_RAM);
	CHECK_EQ(e[6].addr, 0x5000000);
	CHECK_EQ(e[n + 1].addr, 0xfffc0000);
	/* at the start of an entry: split in two; the whole entry: retyped */
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0x5000000, 0x1000, E820_TYPE_RESERVED), 0);
	CHECK_EQ(cnt, n + 3);
	CHECK_EQ(e[6].addr, 0x5000000);
	CHECK_EQ(e[6].type, E820_TYPE_RESERVED);
	CHECK_EQ(e[7].addr, 0x5001000);
	CHECK_EQ(e[7].type, E820_TYPE_RAM);
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0, 0x9f000, E820_TYPE_RESERVED), 0);
	CHECK_EQ(cnt, n + 3);
	CHECK_EQ(e[0].type, E820_TYPE_RESERVED);
	/* at the end of an entry */
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0x7ffdf000, 0x1000, E820_TYPE_NVS), 0);
	CHECK_EQ(cnt, n + 4);
	CHECK_EQ(e[9].addr, 0x7ffdf000);
	CHECK_EQ(e[9].type, E820_TYPE_NVS);
	CHECK_EQ(e[10].addr, 0x7ffe0000);
	/* not inside one RAM entry */
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0xfff000, 0x2000, E820_TYPE_ACPI),
		 -HV_EINVAL);
	CHECK_LOG("linux: 0xfff000-0x1001000 is not inside one RAM entry of the root's e820 map");
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0x7ffe0000, 0x1000, E820_TYPE_ACPI),
		 -HV_EINVAL);
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0x108000, 0x100, E820_TYPE_ACPI),
		 -HV_EINVAL);
	/* no room for the split */
	CHECK_EQ(linux_e820_set(e, &cnt, cnt + 1, 0x6000000, 0x1000, E820_TYPE_ACPI), -HV_ENOSPC);
	CHECK_LOG("linux: marking 0x6000000-0x6001000 as e820 type 3 needs more than 15 entries");
	CHECK_EQ(cnt, n + 4);
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), 0x6000000, 0, E820_TYPE_ACPI), -HV_EINVAL);
	CHECK_EQ(linux_e820_set(e, &cnt, ARRAY_SIZE(e), ~0ull, 2, E820_TYPE_ACPI), -HV_EINVAL);
}

int main(void)
{
	bz_build(img);
	CHECK_EQ(bzimage_parse(img, T_IMAGE_LEN, &info), 0);
	test_demo();
	test_pref_address();
	test_refusals();
	test_e820_set();
	return check_summary();
}
