// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "everything to the root" table: valid by the validator, passing the
 * boot-time check on the machine it was built from, and leaving out exactly
 * what the hypervisor keeps.
 */
#include "table_test.h"

static uint64_t blob[8192];
static struct memmap map;
static struct table_platform hw;
static struct table_view view;
static struct table_verdict v[1];

static int build(void)
{
	uint64_t scratch[1024];
	size_t size = 0;
	int err;

	test_log_clear();
	err = table_build_default(&hw, blob, sizeof(blob), &size);
	if (err)
		return err;
	return table_load(&view, blob, size, scratch, sizeof(scratch));
}

/* The root's region holding addr, or NULL. */
static const struct bh_mem_region *region_at(uint64_t addr)
{
	const struct bh_partition *p = &view.parts[0];

	for (uint32_t i = 0; i < p->memory.count; i++) {
		const struct bh_mem_region *r = &table_part_mem(&view, p)[i];

		if (addr >= r->host && addr - r->host < r->size)
			return r;
	}
	return NULL;
}

static bool port_given(uint32_t port)
{
	const struct bh_partition *p = &view.parts[0];

	for (uint32_t i = 0; i < p->pio.count; i++) {
		const struct bh_pio_range *r = &table_part_pio(&view, p)[i];

		if (port >= r->base && port - r->base < r->size)
			return true;
	}
	return false;
}

static void test_q35(void)
{
	const struct bh_partition *p;
	const struct bh_mem_region *r;

	tt_q35(&hw, &map);
	CHECK_EQ(build(), 0);
	CHECK_EQ(tt_errors(), 0);
	p = &view.parts[0];
	CHECK_STR(p->name, "root");
	CHECK_EQ(p->flags, BH_PART_ROOT);
	CHECK_EQ(p->cpus.count, 4);
	CHECK_EQ(p->pci.count, ARRAY_SIZE(tt_q35_pci));
	/* the chipset bridges (00:00.0, 00:1f.0) get all but CAPS/EXT, the rest all */
	CHECK_EQ(table_part_pci(&view, p)[0].cfg_write,
		 BH_PCI_CFG_W_ALL & ~(BH_PCI_CFG_W_CAPS | BH_PCI_CFG_W_EXT));
	CHECK_EQ(table_part_pci(&view, p)[1].cfg_write, BH_PCI_CFG_W_ALL);
	CHECK_EQ(table_part_pci(&view, p)[4].cfg_write,
		 BH_PCI_CFG_W_ALL & ~(BH_PCI_CFG_W_CAPS | BH_PCI_CFG_W_EXT));
	CHECK_EQ(table_part_pci(&view, p)[5].cfg_write, BH_PCI_CFG_W_ALL);
	/* the default table passes the boot-time check on the machine it was built for */
	{
		static struct table_verdict vv[2];

		CHECK_EQ(table_check_platform(&view, &hw, vv, 2), 0);
	}
	/* without classes (an older caller) every function gets all */
	hw.pci_class = NULL;
	CHECK_EQ(build(), 0);
	CHECK_EQ(table_part_pci(&view, &view.parts[0])[0].cfg_write, BH_PCI_CFG_W_ALL);
	tt_q35(&hw, &map);
	CHECK_EQ(build(), 0);
	p = &view.parts[0];
	CHECK_EQ(p->image.format, BH_IMAGE_BZIMAGE);
	CHECK_STR(p->image.tag, "linux");
	CHECK_STR(p->image.initrd_tag, "initrd");
	CHECK_STR(view.platform->board, "default");

	/* RAM where Linux loads, page-aligned inward around the EBDA */
	r = region_at(0x100000);
	CHECK(r && (r->flags & BH_MEM_LOADABLE) && !(r->flags & BH_MEM_IO));
	r = region_at(0x9f000); /* RAM and the EBDA share a page: RAM wins */
	CHECK(r && !(r->flags & BH_MEM_IO) && r->host == 0 && r->size == 0xa0000);
	r = region_at(0xf0000); /* the BIOS area */
	CHECK(r && (r->flags & BH_MEM_IO));
	/* what the hypervisor keeps is nobody's */
	CHECK(region_at(0x1000000) == NULL);
	CHECK(region_at(0x4fff000) == NULL);
	CHECK(region_at(0xb0000000) == NULL);
	CHECK(region_at(0xbffff000) == NULL);
	CHECK(region_at(0xfec00000) == NULL);
	CHECK(region_at(0xfee00000) == NULL);
	/* and the rest is the root's: RAM after it, device memory and firmware as IO */
	r = region_at(0x5000000);
	CHECK(r && r->host == 0x5000000 && !(r->flags & BH_MEM_IO));
	r = region_at(0x80000000);
	CHECK(r && (r->flags & BH_MEM_IO) && r->host == 0x7ffe0000 && r->size == 0x30020000);
	r = region_at(0x7ffdf000);
	CHECK(r && !(r->flags & BH_MEM_IO) && r->host + r->size == 0x7ffe0000);
	r = region_at(0xfec01000);
	CHECK(r && (r->flags & BH_MEM_IO));
	r = region_at(0xfef00000);
	CHECK(r && (r->flags & BH_MEM_IO) && r->host + r->size == 0x1000000000ULL);
	CHECK(region_at(0x1000000000ULL) == NULL);
	/* ports: all but COM1 and the PCI configuration ports */
	CHECK(port_given(0x0));
	CHECK(port_given(0x2f8));
	CHECK(!port_given(0x3f8));
	CHECK(!port_given(0x3ff));
	CHECK(port_given(0x400));
	CHECK(!port_given(0xcf8));
	CHECK(port_given(0xd00));
	CHECK(port_given(0xffff));
	CHECK_EQ(p->irqs.count, 1);
	CHECK_EQ(table_part_irqs(&view, p)[0].count, 24);

	/* the default table passes the boot-time check on the machine it describes */
	test_log_clear();
	CHECK_EQ(table_check_platform(&view, &hw, v, 1), 0);
	CHECK_EQ(tt_errors(), 0);

	/* the same on OVMF's busier map */
	tt_map_ovmf(&map);
	CHECK_EQ(build(), 0);
	test_log_clear();
	CHECK_EQ(table_check_platform(&view, &hw, v, 1), 0);
	CHECK_EQ(tt_errors(), 0);
	r = region_at(0x800000); /* ACPI NVS: inside a RAM region, handed on as reserved */
	CHECK(r && !(r->flags & BH_MEM_IO) && r->host == 0x100000 && r->size == 0xf00000);
}

static void test_variants(void)
{
	static const struct table_module linux_only[] = { { "linux", 0x100 } };
	size_t size = 0;

	/* no initrd module: no initrd tag */
	tt_q35(&hw, &map);
	hw.modules = linux_only;
	hw.module_count = 1;
	hw.console.type = BH_CONSOLE_NONE;
	hw.board = "my-board";
	hw.root_cmdline = "console=ttyS0 quiet";
	CHECK_EQ(build(), 0);
	CHECK_STR(view.parts[0].image.initrd_tag, "");
	CHECK_STR(view.platform->board, "my-board");
	CHECK_STR(view.parts[0].image.cmdline, "console=ttyS0 quiet");
	CHECK(port_given(0x3f8));
	CHECK_EQ(view.parts[0].pio.count, 2);

	/* the hypervisor's pool carved outside its table region is left out too */
	tt_q35(&hw, &map);
	map.r[3].size = 0x40000000 - 0x100000;
	for (uint32_t i = map.count; i > 4; i--)
		map.r[i + 1] = map.r[i - 1];
	map.r[4] = (struct mem_range){ 0x40000000, 0x1000000, MEM_HV_POOL };
	map.r[5] = (struct mem_range){ 0x41000000, 0x7ffe0000 - 0x41000000, BOOT_MEM_RAM };
	map.count += 2;
	CHECK_EQ(build(), 0);
	CHECK(region_at(0x40000000) == NULL);
	CHECK(region_at(0x41000000) != NULL);

	/* too small a buffer, and machines that give nothing to describe */
	tt_q35(&hw, &map);
	CHECK_EQ(table_build_default(&hw, blob, 64, &size), -HV_ENOSPC);
	CHECK(size > 64 && size < sizeof(blob));
	hw.memmap = NULL;
	test_log_clear();
	CHECK_EQ(table_build_default(&hw, blob, sizeof(blob), &size), -HV_EINVAL);
	CHECK_LOG("table: a default table needs a memory map, CPUs and the hypervisor's memory");
}

static void test_arm64(void)
{
	static const uint64_t mpidrs[] = { 0x0, 0x1, 0x100, 0x101 };
	static const struct bh_irqchip gic[] = {
		{ .type = BH_IRQCHIP_GICD, .base = 0x8000000, .size = 0x10000, .lines = 988 },
		{ .type = BH_IRQCHIP_GICR, .base = 0x80a0000, .size = 0xf60000 },
	};
	static const struct table_module mods[] = { { "linux", 0x100 } };

	map.count = 0;
	tt_map_add(&map, 0x40000000, 0xc0000000, BOOT_MEM_RAM);
	hw = (struct table_platform){
		.arch = BH_ARCH_ARM64,
		.cpu_ids = mpidrs,
		.cpu_count = 4,
		.memmap = &map,
		.modules = mods,
		.module_count = 1,
		.hv_base = 0x40000000,
		.hv_size = 0x4000000,
		.console = { .type = BH_CONSOLE_PL011, .base = 0x9000000, .reg_width = 4 },
		.irqchips = gic,
		.irqchip_count = 2,
	};
	CHECK_EQ(build(), 0);
	CHECK_EQ(tt_errors(), 0);
	CHECK_EQ(view.platform->arch, BH_ARCH_ARM64);
	CHECK_EQ(view.parts[0].image.format, BH_IMAGE_ARM64_IMAGE);
	CHECK_EQ(view.parts[0].pio.count, 0);
	CHECK_EQ(view.parts[0].irqs.count, 1);
	CHECK(region_at(0x9000000) == NULL);
	CHECK(region_at(0x8000000) == NULL);
	CHECK(region_at(0x9001000) != NULL);
}

int main(void)
{
	test_q35();
	test_variants();
	test_arm64();
	return check_summary();
}
