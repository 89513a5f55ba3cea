// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the physical memory map (core/memmap.c). */
#include "../check.h"
#include "core/errno.h"
#include "core/memmap.h"

#define KB(x) ((uint64_t)(x) << 10)
#define MB(x) ((uint64_t)(x) << 20)
#define GB(x) ((uint64_t)(x) << 30)

static struct memmap M;

/* Sorted, non-overlapping, non-empty, merged, RAM on page boundaries. */
static bool memmap_sane(const struct memmap *m)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_range *r = &m->r[i];

		if (r->size == 0 || r->base + r->size < r->base)
			return false;
		if (r->type == BOOT_MEM_RAM &&
		    (!IS_ALIGNED(r->base, PAGE_SIZE) || !IS_ALIGNED(r->size, PAGE_SIZE)))
			return false;
		if (i && m->r[i - 1].base + m->r[i - 1].size > r->base)
			return false;
		if (i && m->r[i - 1].base + m->r[i - 1].size == r->base &&
		    m->r[i - 1].type == r->type)
			return false;
	}
	return true;
}

#define CHECK_RANGE(i, b, s, t)             \
	do {                                \
		CHECK_EQ(M.r[i].base, (b)); \
		CHECK_EQ(M.r[i].size, (s)); \
		CHECK_EQ(M.r[i].type, (t)); \
	} while (0)

static int init(const struct boot_mem_range *in, uint32_t n)
{
	memset(&M, 0xa5, sizeof(M));
	test_log_clear();
	return memmap_init(&M, in, n);
}

/* QEMU 10 + SeaBIOS e820 with -m 4G (RAM split around the PCI hole). */
static const struct boot_mem_range seabios[] = {
	{ 0x0, 0x9fc00, 1, 0 },
	{ 0x9fc00, 0x400, 2, 0 },
	{ 0xf0000, 0x10000, 2, 0 },
	{ 0x100000, 0xbfee0000, 1, 0 },
	{ 0xbffe0000, 0x20000, 2, 0 },
	{ 0xb0000000, 0x10000000, 2, 0 },
	{ 0xfed1c000, 0x4000, 2, 0 },
	{ 0xfeffc000, 0x4000, 2, 0 },
	{ 0xfffc0000, 0x40000, 2, 0 },
	{ 0x100000000, 0x40000000, 1, 0 },
	{ 0xfd00000000, 0x300000000, 2, 0 },
};

static void check_seabios_result(void)
{
	CHECK(memmap_sane(&M));
	CHECK_EQ(M.count, 10);
	CHECK_RANGE(0, 0, 0x9f000, BOOT_MEM_RAM);	    /* rounded down to a page */
	CHECK_RANGE(1, 0x9f000, 0x1000, BOOT_MEM_RESERVED); /* rounded outward */
	CHECK_RANGE(2, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
	CHECK_RANGE(3, 0x100000, 0xb0000000 - 0x100000, BOOT_MEM_RAM); /* MMCONFIG overlap wins */
	CHECK_RANGE(4, 0xb0000000, 0x10000000, BOOT_MEM_RESERVED);     /* joined with 0xbffe0000 */
	CHECK_RANGE(5, 0xfed1c000, 0x4000, BOOT_MEM_RESERVED);
	CHECK_RANGE(6, 0xfeffc000, 0x4000, BOOT_MEM_RESERVED);
	CHECK_RANGE(7, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	CHECK_RANGE(8, GB(4), GB(1), BOOT_MEM_RAM);
	CHECK_RANGE(9, 0xfd00000000, 0x300000000, BOOT_MEM_RESERVED);
}

static void test_seabios(void)
{
	CHECK_EQ(init(seabios, ARRAY_SIZE(seabios)), 0);
	check_seabios_result();
	CHECK_EQ(memmap_total(&M, BOOT_MEM_RAM), 0x9f000 + 0xb0000000 - 0x100000 + GB(1));
}

static void test_unsorted(void)
{
	struct boot_mem_range shuffled[ARRAY_SIZE(seabios)];
	uint32_t n = ARRAY_SIZE(seabios);

	/* reversed, then rotated: every order gives the same map */
	for (uint32_t rot = 0; rot < n; rot++) {
		for (uint32_t i = 0; i < n; i++)
			shuffled[i] = seabios[(n - 1 - i + rot) % n];
		CHECK_EQ(init(shuffled, n), 0);
		check_seabios_result();
	}
}

/*
 * OVMF (edk2-stable202302), -m 2G, q35, as a UEFI loader would pass it
 * descriptor by descriptor after converting the EFI types: many RAM pieces
 * (conventional, boot services, loader) that join, firmware runtime ranges
 * scattered near the top of low RAM.
 */
static const struct boot_mem_range ovmf[] = {
	{ 0x0, 0x1000, 1, 0 },
	{ 0x1000, 0x9f000, 1, 0 },
	{ 0x100000, 0x700000, 1, 0 },
	{ 0x800000, 0x8000, 4, 0 },
	{ 0x808000, 0x3000, 1, 0 },
	{ 0x80b000, 0x1000, 4, 0 },
	{ 0x80c000, 0x5000, 1, 0 },
	{ 0x811000, 0xef000, 4, 0 },
	{ 0x900000, 0x1000000, 1, 0 },
	{ 0x1900000, 0x3d000, 1, 0 },
	{ 0x193d000, 0x20000, 1, 0 },
	{ 0x195d000, 0x6b2c000, 1, 0 },
	{ 0x8489000, 0x20000, 1, 0 },
	{ 0x84a9000, 0x769e6000, 1, 0 },
	{ 0x7ee8f000, 0x1000, 1, 0 },
	{ 0x7ee90000, 0x35e000, 1, 0 },
	{ 0x7f1ee000, 0x1a9000, 1, 0 },
	{ 0x7f397000, 0x2f000, 1, 0 },
	{ 0x7f3c6000, 0xd2000, 1, 0 },
	{ 0x7f498000, 0x100000, 6, 0 },
	{ 0x7f598000, 0x100000, 6, 0 },
	{ 0x7f698000, 0x2b0000, 2, 0 },
	{ 0x7f948000, 0xb6000, 1, 0 },
	{ 0x7f9fe000, 0x1000, 6, 0 },
	{ 0x7f9ff000, 0x1000, 6, 0 },
	{ 0x7fa00000, 0x26000, 1, 0 },
	{ 0x7fa26000, 0x25000, 1, 0 },
	{ 0x7fa4b000, 0x3000, 1, 0 },
	{ 0x7fa4e000, 0x21000, 1, 0 },
	{ 0x7fa6f000, 0x19000, 1, 0 },
	{ 0x7fa88000, 0x1b000, 1, 0 },
	{ 0x7faa3000, 0x28000, 1, 0 },
	{ 0x7facb000, 0xc000, 1, 0 },
	{ 0x7fad7000, 0x1c000, 1, 0 },
	{ 0x7faf3000, 0x6d000, 1, 0 },
	{ 0x7fb60000, 0x1e000, 1, 0 },
	{ 0x7fb7e000, 0x8000, 3, 0 },
	{ 0x7fb86000, 0x4000, 3, 0 },
	{ 0x7fb8a000, 0x74000, 4, 0 },
	{ 0x7fbfe000, 0x202000, 1, 0 },
	{ 0x7fe00000, 0x1a7000, 1, 0 },
	{ 0x7ffa7000, 0x20000, 1, 0 },
	{ 0x7ffc7000, 0x1000, 6, 0 },
	{ 0x7ffc8000, 0x10000, 6, 0 },
	{ 0x7ffd8000, 0x28000, 4, 0 },
	{ 0xb0000000, 0x10000000, 2, 0 },
	{ 0xfeffc000, 0x4000, 2, 0 },
	{ 0xffc00000, 0x400000, 2, 0 },
	{ 0xfd00000000, 0x300000000, 2, 0 },
};

static void test_ovmf(void)
{
	uint64_t ram = 0;

	for (uint32_t i = 0; i < ARRAY_SIZE(ovmf); i++)
		if (ovmf[i].type == BOOT_MEM_RAM)
			ram += ovmf[i].size;
	CHECK_EQ(init(ovmf, ARRAY_SIZE(ovmf)), 0);
	CHECK(memmap_sane(&M));
	CHECK_EQ(memmap_total(&M, BOOT_MEM_RAM), ram);
	CHECK_EQ(memmap_total(&M, BOOT_MEM_FIRMWARE), 0x200000 + 0x2000 + 0x11000);
	CHECK_EQ(memmap_total(&M, BOOT_MEM_ACPI_RECLAIM), 0xc000);
	CHECK_EQ(M.count, 22);
	CHECK_RANGE(0, 0, 0xa0000, BOOT_MEM_RAM);
	CHECK_RANGE(1, 0x100000, 0x700000, BOOT_MEM_RAM);
	CHECK_RANGE(2, 0x800000, 0x8000, BOOT_MEM_ACPI_NVS);
	CHECK_RANGE(7, 0x900000, 0x7f498000 - 0x900000, BOOT_MEM_RAM);
	CHECK_RANGE(8, 0x7f498000, 0x200000, BOOT_MEM_FIRMWARE);
	CHECK_EQ(memmap_lookup(&M, 0x7fb80000)->type, BOOT_MEM_ACPI_RECLAIM);
	CHECK_EQ(memmap_lookup(&M, 0x7fb8a000)->type, BOOT_MEM_ACPI_NVS);
	CHECK_EQ(memmap_lookup(&M, 0x7fb8a000)->base, 0x7fb8a000);
	CHECK(memmap_lookup(&M, 0xa0000) == NULL);
	CHECK(memmap_lookup(&M, GB(3)) == NULL);
	/* a hypervisor pool below 4 GiB: the top of low RAM */
	CHECK_EQ(memmap_find_ram(&M, MB(64), SZ_2M, GB(4)), 0x7b400000);
}

static void test_overlaps(void)
{
	static const struct boot_mem_range in[] = {
		{ MB(1), MB(1), BOOT_MEM_RAM, 0 },
		{ MB(1) + KB(512), KB(64), BOOT_MEM_RESERVED, 0 }, /* hole in RAM */
		{ MB(2) - KB(4), KB(8), BOOT_MEM_RESERVED, 0 },	   /* over RAM's end */
		{ MB(4), MB(2), BOOT_MEM_ACPI_RECLAIM, 0 },
		{ MB(5), MB(2), BOOT_MEM_ACPI_NVS, 0 }, /* NVS (4) beats ACPI (3) */
		{ MB(4), MB(1), BOOT_MEM_RAM, 0 },	/* under ACPI: loses */
		{ MB(8), MB(1), BOOT_MEM_BAD, 0 },
		{ MB(8), MB(2), BOOT_MEM_RESERVED, 0 }, /* bad (5) beats reserved (2) */
		{ MB(16), MB(1), BOOT_MEM_RESERVED, 0 },
		{ MB(15), MB(3), BOOT_MEM_RAM, 0 }, /* RAM around reserved */
	};

	CHECK_EQ(init(in, ARRAY_SIZE(in)), 0);
	CHECK(memmap_sane(&M));
	CHECK_EQ(M.count, 11);
	CHECK_RANGE(0, MB(1), KB(512), BOOT_MEM_RAM);
	CHECK_RANGE(1, MB(1) + KB(512), KB(64), BOOT_MEM_RESERVED);
	CHECK_RANGE(2, MB(1) + KB(576), KB(444), BOOT_MEM_RAM);
	CHECK_RANGE(3, MB(2) - KB(4), KB(8), BOOT_MEM_RESERVED);
	CHECK_RANGE(4, MB(4), MB(1), BOOT_MEM_ACPI_RECLAIM);
	CHECK_RANGE(5, MB(5), MB(2), BOOT_MEM_ACPI_NVS);
	CHECK_RANGE(6, MB(8), MB(1), BOOT_MEM_BAD);
	CHECK_RANGE(7, MB(9), MB(1), BOOT_MEM_RESERVED);
	CHECK_RANGE(8, MB(15), MB(1), BOOT_MEM_RAM);
	CHECK_RANGE(9, MB(16), MB(1), BOOT_MEM_RESERVED);
	CHECK_RANGE(10, MB(17), MB(1), BOOT_MEM_RAM);
}

static void test_merge_and_round(void)
{
	static const struct boot_mem_range in[] = {
		{ 0x0, 0x1000, BOOT_MEM_RAM, 0 },
		{ 0x1000, 0x1000, BOOT_MEM_RAM, 0 },	      /* adjacent: joined */
		{ 0x10800, 0x4000, BOOT_MEM_RAM, 0 },	      /* rounded in: 0x11000-0x14000 */
		{ 0x20000, 0x800, BOOT_MEM_RAM, 0 },	      /* split by firmware at an odd  */
		{ 0x20800, 0x1800, BOOT_MEM_RAM, 0 },	      /* address: keeps both pages */
		{ 0x30100, 0xe00, BOOT_MEM_RAM, 0 },	      /* less than a page: gone */
		{ 0x40000, 0x0, BOOT_MEM_RESERVED, 0 },	      /* empty: dropped */
		{ 0x50000, 0x0, BOOT_MEM_RAM, 0 },	      /* empty: dropped */
		{ 0x60800, 0x100, BOOT_MEM_ACPI_RECLAIM, 0 }, /* rounded out */
		{ 0x70000, 0x3000, BOOT_MEM_RAM, 0 },
		{ 0x70800, 0x100, BOOT_MEM_RESERVED, 0 }, /* eats the whole first page */
	};

	CHECK_EQ(init(in, ARRAY_SIZE(in)), 0);
	CHECK(memmap_sane(&M));
	CHECK_EQ(M.count, 6);
	CHECK_RANGE(0, 0x0, 0x2000, BOOT_MEM_RAM);
	CHECK_RANGE(1, 0x11000, 0x3000, BOOT_MEM_RAM);
	CHECK_RANGE(2, 0x20000, 0x2000, BOOT_MEM_RAM);
	CHECK_RANGE(3, 0x60000, 0x1000, BOOT_MEM_ACPI_RECLAIM);
	CHECK_RANGE(4, 0x70000, 0x1000, BOOT_MEM_RESERVED);
	CHECK_RANGE(5, 0x71000, 0x2000, BOOT_MEM_RAM);
}

static void test_wrap_and_unknown(void)
{
	static const struct boot_mem_range in[] = {
		{ MB(1), MB(1), BOOT_MEM_RAM, 0 },
		{ 0xfffffffffffff000ull, 0x2000, BOOT_MEM_RAM, 0 },	 /* wraps */
		{ 0xfffffffffffff000ull, 0x1000, BOOT_MEM_RESERVED, 0 }, /* ends at 2^64 */
		{ 0xffffffffffffe000ull, 0x1fff, BOOT_MEM_RESERVED, 0 }, /* clipped */
		{ MB(3), MB(1), 0, 0 },
		{ MB(5), MB(1), MEM_HV_POOL, 0 }, /* carved types are not firmware's */
	};

	CHECK_EQ(init(in, ARRAY_SIZE(in)), 0);
	CHECK(memmap_sane(&M));
	CHECK_LOG("memmap: firmware range 1 [0xfffffffffffff000, +0x2000) wraps past 2^64, "
		  "dropped");
	CHECK_LOG("memmap: firmware range 2 [0xfffffffffffff000, +0x1000) wraps past 2^64");
	CHECK_LOG("memmap: firmware range 4 [0x300000-0x400000) has unknown type 0, taken as "
		  "reserved");
	CHECK_LOG("range 5 [0x500000-0x600000) has unknown type 260");
	CHECK_EQ(M.count, 4);
	CHECK_RANGE(0, MB(1), MB(1), BOOT_MEM_RAM);
	CHECK_RANGE(1, MB(3), MB(1), BOOT_MEM_RESERVED);
	CHECK_RANGE(2, MB(5), MB(1), BOOT_MEM_RESERVED);
	CHECK_RANGE(3, 0xffffffffffffe000ull, 0x1000, BOOT_MEM_RESERVED);
}

static struct boot_mem_range big[MEMMAP_MAX + 100];

static void test_full(void)
{
	/* alternating RAM and reserved pages: nothing joins */
	for (uint32_t i = 0; i < ARRAY_SIZE(big); i++) {
		big[i].base = MB(1) + (uint64_t)i * PAGE_SIZE;
		big[i].size = PAGE_SIZE;
		big[i].type = i % 2 ? BOOT_MEM_RESERVED : BOOT_MEM_RAM;
	}
	CHECK_EQ(init(big, ARRAY_SIZE(big)), -HV_ENOSPC);
	CHECK_LOG("memmap: the firmware map needs more than 512 ranges (at input range 512 of "
		  "612)");
	CHECK_EQ(M.count, 0);

	/* exactly MEMMAP_MAX fits */
	CHECK_EQ(init(big, MEMMAP_MAX), 0);
	CHECK_EQ(M.count, MEMMAP_MAX);
	CHECK(memmap_sane(&M));

	/* a full map: a carve that splits fails and leaves the map as it was... */
	test_log_clear();
	CHECK_EQ(memmap_carve(&M, MB(1), PAGE_SIZE, MEM_HV_POOL), 0); /* retype: no split */
	CHECK_EQ(M.count, MEMMAP_MAX);
	CHECK_EQ(M.r[0].type, MEM_HV_POOL);

	/* ...many same-sized inputs that join after all fit too */
	for (uint32_t i = 0; i < ARRAY_SIZE(big); i++)
		big[i].type = BOOT_MEM_RAM;
	CHECK_EQ(init(big, ARRAY_SIZE(big)), 0);
	CHECK_EQ(M.count, 1);
	CHECK_RANGE(0, MB(1), ARRAY_SIZE(big) * PAGE_SIZE, BOOT_MEM_RAM);
}

static void test_full_carve(void)
{
	static struct boot_mem_range in[MEMMAP_MAX];
	struct mem_range before;

	/* 511 ranges, the last a large RAM range: one split into 3 needs 2 slots */
	for (uint32_t i = 0; i < MEMMAP_MAX - 1; i++) {
		in[i].base = MB(1) + (uint64_t)i * PAGE_SIZE;
		in[i].size = PAGE_SIZE;
		in[i].type = i % 2 ? BOOT_MEM_RESERVED : BOOT_MEM_RAM;
	}
	in[MEMMAP_MAX - 2].size = MB(16);
	CHECK_EQ(in[MEMMAP_MAX - 2].type, BOOT_MEM_RAM);
	CHECK_EQ(init(in, MEMMAP_MAX - 1), 0);
	CHECK_EQ(M.count, MEMMAP_MAX - 1);
	before = M.r[M.count - 1];
	CHECK_EQ(memmap_carve(&M, before.base + MB(1), MB(1), MEM_PARTITION), -HV_ENOSPC);
	CHECK_LOG("as partition: the map is full (512 ranges)");
	CHECK_EQ(M.count, MEMMAP_MAX - 1);
	CHECK(memcmp(&M.r[M.count - 1], &before, sizeof(before)) == 0);
	/* an edge carve needs one slot: fits */
	CHECK_EQ(memmap_carve(&M, before.base, MB(1), MEM_PARTITION), 0);
	CHECK_EQ(M.count, MEMMAP_MAX);
	/* growing that piece needs none, even now */
	CHECK_EQ(memmap_carve(&M, before.base + MB(1), MB(1), MEM_PARTITION), 0);
	CHECK_EQ(M.count, MEMMAP_MAX);
	CHECK_RANGE(M.count - 2, before.base, MB(2), MEM_PARTITION);
	/* a carve at the top end needs a slot: refused */
	CHECK_EQ(memmap_carve(&M, before.base + MB(15), MB(1), MEM_HV_POOL), -HV_ENOSPC);
	/* all the rest at once is a retype: fits */
	CHECK_EQ(memmap_carve(&M, before.base + MB(2), MB(14), MEM_HV_POOL), 0);
	CHECK_EQ(M.count, MEMMAP_MAX);
	CHECK_RANGE(M.count - 1, before.base + MB(2), MB(14), MEM_HV_POOL);
	CHECK(memmap_sane(&M));
}

static void test_carve(void)
{
	static const struct boot_mem_range in[] = {
		{ 0x0, 0x9f000, BOOT_MEM_RAM, 0 },     { 0x9f000, 0x1000, BOOT_MEM_RESERVED, 0 },
		{ MB(1), MB(255), BOOT_MEM_RAM, 0 },   { MB(256), MB(1), BOOT_MEM_ACPI_NVS, 0 },
		{ MB(257), MB(255), BOOT_MEM_RAM, 0 },
	};

	CHECK_EQ(init(in, ARRAY_SIZE(in)), 0);
	CHECK_EQ(M.count, 5);

	/* in the middle: split into 3 */
	CHECK_EQ(memmap_carve(&M, MB(16), MB(2), MEM_HV_IMAGE), 0);
	CHECK_EQ(M.count, 7);
	CHECK_RANGE(2, MB(1), MB(15), BOOT_MEM_RAM);
	CHECK_RANGE(3, MB(16), MB(2), MEM_HV_IMAGE);
	CHECK_RANGE(4, MB(18), MB(238), BOOT_MEM_RAM);
	CHECK(memmap_is_type(&M, MB(16), MB(2), MEM_HV_IMAGE));
	CHECK(!memmap_is_type(&M, MB(16), MB(2) + 1, MEM_HV_IMAGE));

	/* at the start of a RAM range, and at its end */
	CHECK_EQ(memmap_carve(&M, 0, 0x9f000, MEM_LOWMEM), 0);
	CHECK_RANGE(0, 0, 0x9f000, MEM_LOWMEM); /* the whole range: retyped */
	CHECK_EQ(memmap_carve(&M, MB(256) - MB(4), MB(4), MEM_HV_POOL), 0);
	CHECK_RANGE(4, MB(18), MB(234), BOOT_MEM_RAM);
	CHECK_RANGE(5, MB(252), MB(4), MEM_HV_POOL);
	CHECK_RANGE(6, MB(256), MB(1), BOOT_MEM_ACPI_NVS);
	CHECK_EQ(memmap_carve(&M, MB(257), MB(1), MEM_MODULE), 0);
	CHECK_RANGE(7, MB(257), MB(1), MEM_MODULE);
	CHECK_RANGE(8, MB(258), MB(254), BOOT_MEM_RAM);

	/* next to a carve of the same type: joined */
	CHECK_EQ(memmap_carve(&M, MB(18), MB(1), MEM_HV_IMAGE), 0);
	CHECK_RANGE(3, MB(16), MB(3), MEM_HV_IMAGE);
	CHECK_EQ(memmap_carve(&M, MB(251), MB(1), MEM_HV_POOL), 0);
	CHECK_RANGE(5, MB(251), MB(5), MEM_HV_POOL);
	CHECK(memmap_sane(&M));

	/* unaligned: widened to whole pages */
	CHECK_EQ(memmap_carve(&M, MB(100) + 0x10, 0x20, MEM_BOOTINFO), 0);
	CHECK(memmap_is_type(&M, MB(100), PAGE_SIZE, MEM_BOOTINFO));
	CHECK_EQ(memmap_lookup(&M, MB(100) + 0xfff)->type, MEM_BOOTINFO);
	CHECK_EQ(memmap_lookup(&M, MB(100) + 0x1000)->type, BOOT_MEM_RAM);
	CHECK(memmap_sane(&M));

	/* over a reserved hole: fails, names what is in the way */
	test_log_clear();
	CHECK_EQ(memmap_carve(&M, MB(255), MB(4), MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("memmap: cannot carve [0xff00000-0x10300000) as partition: overlaps hv-pool "
		  "[0xfb00000-0x10000000)");
	CHECK_EQ(memmap_carve(&M, MB(300), MB(300), MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("memmap: cannot carve [0x12c00000-0x25800000) as partition: [0x20000000-"
		  "0x25800000) is not in the memory map");
	CHECK_EQ(memmap_carve(&M, 0xa0000, MB(2), MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("[0xa0000-0x100000) is not in the memory map");
	CHECK_EQ(memmap_carve(&M, MB(255), MB(2) + MB(1), MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("overlaps hv-pool");
	CHECK_EQ(memmap_carve(&M, MB(257) - 1, 2, MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("overlaps ACPI-NVS [0x10000000-0x10100000)");
	CHECK_EQ(memmap_carve(&M, MB(20), MB(1), BOOT_MEM_RAM), -HV_EINVAL);
	CHECK_LOG("cannot carve [0x1400000, +0x100000) as RAM");
	CHECK_EQ(memmap_carve(&M, MB(20), 0, MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("cannot carve [0x1400000, +0x0) as partition: empty or past the top");
	CHECK_EQ(memmap_carve(&M, 0xfffffffffffff000ull, 0x2000, MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("empty or past the top of memory");

	/* at the start of a RAM range that stays partly RAM: split into 2 */
	CHECK_EQ(memmap_carve(&M, MB(1), MB(1), MEM_BOOTINFO), 0);
	CHECK_RANGE(2, MB(1), MB(1), MEM_BOOTINFO);
	CHECK_RANGE(3, MB(2), MB(14), BOOT_MEM_RAM);
	CHECK_RANGE(4, MB(16), MB(3), MEM_HV_IMAGE);

	/* twice: the second fails */
	CHECK_EQ(memmap_carve(&M, MB(40), MB(8), MEM_PARTITION), 0);
	test_log_clear();
	CHECK_EQ(memmap_carve(&M, MB(44), MB(8), MEM_PARTITION), -HV_EINVAL);
	CHECK_LOG("cannot carve [0x2c00000-0x3400000) as partition: overlaps partition "
		  "[0x2800000-0x3000000)");
	CHECK(memmap_sane(&M));
}

static void test_find_ram(void)
{
	CHECK_EQ(init(seabios, ARRAY_SIZE(seabios)), 0);
	/* highest fit overall: the RAM above 4 GiB */
	CHECK_EQ(memmap_find_ram(&M, MB(16), SZ_2M, 0), GB(5) - MB(16));
	/* below 4 GiB: the top of low RAM, aligned down */
	CHECK_EQ(memmap_find_ram(&M, MB(3), SZ_2M, GB(4)), 0xb0000000 - MB(4));
	CHECK_EQ(memmap_find_ram(&M, MB(3), PAGE_SIZE, GB(4)), 0xb0000000 - MB(3));
	CHECK_EQ(memmap_find_ram(&M, MB(1), SZ_1G, GB(4)), SZ_1G * 2);
	/* a limit inside a range */
	CHECK_EQ(memmap_find_ram(&M, MB(1), SZ_2M, MB(16) + 5), MB(14));
	/* below 1 MiB */
	CHECK_EQ(memmap_find_ram(&M, 0x8000, 0x1000, MB(1)), 0x97000);
	CHECK_EQ(memmap_find_ram(&M, 0x8000, 0x10000, 0x98000), 0x90000);
	CHECK_EQ(memmap_find_ram(&M, 0x8000, 0x10000, 0x97000), 0x80000);
	/* small alignments are pages */
	CHECK_EQ(memmap_find_ram(&M, 0x10, 1, MB(1)), 0x9e000);
	/* nothing fits */
	CHECK_EQ(memmap_find_ram(&M, GB(2), PAGE_SIZE, 0), 0xb0000000 - GB(2));
	CHECK_EQ(memmap_find_ram(&M, GB(3), PAGE_SIZE, 0), 0);
	CHECK_EQ(memmap_find_ram(&M, 0, PAGE_SIZE, 0), 0);
	CHECK_EQ(memmap_find_ram(&M, MB(1), PAGE_SIZE, 0x1000), 0);
	test_log_clear();
	CHECK_EQ(memmap_find_ram(&M, MB(1), 0x3000, 0), 0);
	CHECK_LOG("memmap: find_ram alignment 0x3000 is not a power of two");
	/* page 0 is never returned */
	CHECK_EQ(memmap_find_ram(&M, 0x9f000, PAGE_SIZE, MB(1)), 0);
	CHECK_EQ(memmap_find_ram(&M, 0x9e000, PAGE_SIZE, MB(1)), 0x1000);
	/* carved memory is not RAM any more */
	CHECK_EQ(memmap_carve(&M, GB(4), GB(1), MEM_PARTITION), 0);
	CHECK_EQ(memmap_find_ram(&M, MB(16), SZ_2M, 0), 0xb0000000 - MB(16));
}

static void test_lookup_totals(void)
{
	const struct mem_range *r;

	CHECK_EQ(init(seabios, ARRAY_SIZE(seabios)), 0);
	r = memmap_lookup(&M, 0);
	CHECK(r && r->base == 0 && r->type == BOOT_MEM_RAM);
	r = memmap_lookup(&M, 0x9efff);
	CHECK(r && r->base == 0);
	r = memmap_lookup(&M, 0x9f000);
	CHECK(r && r->type == BOOT_MEM_RESERVED);
	CHECK(memmap_lookup(&M, 0xa0000) == NULL);
	CHECK(memmap_lookup(&M, 0xeffff) == NULL);
	r = memmap_lookup(&M, GB(5) - 1);
	CHECK(r && r->base == GB(4));
	CHECK(memmap_lookup(&M, GB(5)) == NULL);
	CHECK(memmap_lookup(&M, UINT64_MAX) == NULL);

	CHECK(memmap_is_type(&M, MB(1), MB(100), BOOT_MEM_RAM));
	CHECK(!memmap_is_type(&M, 0x9e000, 0x2000, BOOT_MEM_RAM));	/* runs into reserved */
	CHECK(!memmap_is_type(&M, 0xa0000, 0x1000, BOOT_MEM_RESERVED)); /* a gap */
	CHECK(!memmap_is_type(&M, MB(1), 0, BOOT_MEM_RAM));
	CHECK(!memmap_is_type(&M, UINT64_MAX, 2, BOOT_MEM_RAM));
	/* across two touching ranges of one type (possible for reserved types after carving) */
	CHECK(memmap_is_type(&M, 0xfeffc000, 0x4000, BOOT_MEM_RESERVED));

	CHECK_EQ(memmap_total(&M, BOOT_MEM_RESERVED),
		 0x1000 + 0x10000 + 0x10000000 + 0x4000 + 0x4000 + 0x40000 + 0x300000000);
	CHECK_EQ(memmap_total(&M, BOOT_MEM_ACPI_NVS), 0);

	/* an empty map */
	CHECK_EQ(init(NULL, 0), 0);
	CHECK_EQ(M.count, 0);
	CHECK(memmap_lookup(&M, 0) == NULL);
	CHECK_EQ(memmap_find_ram(&M, PAGE_SIZE, PAGE_SIZE, 0), 0);
	CHECK_EQ(memmap_total(&M, BOOT_MEM_RAM), 0);
}

static void test_type_names(void)
{
	CHECK_STR(memmap_type_name(BOOT_MEM_RAM), "RAM");
	CHECK_STR(memmap_type_name(BOOT_MEM_RESERVED), "reserved");
	CHECK_STR(memmap_type_name(BOOT_MEM_ACPI_RECLAIM), "ACPI");
	CHECK_STR(memmap_type_name(BOOT_MEM_ACPI_NVS), "ACPI-NVS");
	CHECK_STR(memmap_type_name(BOOT_MEM_BAD), "bad");
	CHECK_STR(memmap_type_name(BOOT_MEM_FIRMWARE), "firmware");
	CHECK_STR(memmap_type_name(BOOT_MEM_PERSISTENT), "persistent");
	CHECK_STR(memmap_type_name(MEM_HV_IMAGE), "hv-image");
	CHECK_STR(memmap_type_name(MEM_MODULE), "module");
	CHECK_STR(memmap_type_name(MEM_BOOTINFO), "bootinfo");
	CHECK_STR(memmap_type_name(MEM_LOWMEM), "lowmem");
	CHECK_STR(memmap_type_name(MEM_HV_POOL), "hv-pool");
	CHECK_STR(memmap_type_name(MEM_PARTITION), "partition");
	CHECK_STR(memmap_type_name(0), "unknown");
	CHECK_STR(memmap_type_name(0x1234), "unknown");
}

int main(void)
{
	test_seabios();
	test_unsorted();
	test_ovmf();
	test_overlaps();
	test_merge_and_round();
	test_wrap_and_unknown();
	test_full();
	test_full_carve();
	test_carve();
	test_find_ram();
	test_lookup_totals();
	test_type_names();
	return check_summary();
}
