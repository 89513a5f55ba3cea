// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time checks against synthetic machines: the shipped scenarios pass on
 * the QEMU machines they are written for, and a partition whose CPUs, memory,
 * devices or images do not match the machine fails alone.
 */
#include "table_test.h"

static struct tt t;
static struct memmap map;
static struct table_platform hw;
static struct table_verdict v[8];

static void *load_demo(const char *name, struct table_view *view)
{
	char path[512];
	size_t size = 0;
	void *blob;
	uint64_t scratch[256];

	snprintf(path, sizeof(path), "%s/partitions/%s.bin", BH_BINARY_DIR, name);
	blob = tt_read(path, &size);
	if (!blob) {
		fprintf(stderr, "%s is missing: build the partition-tables target first\n", path);
		check_failed++;
		return NULL;
	}
	CHECK_EQ(table_load(view, blob, size, scratch, sizeof(scratch)), 0);
	return blob;
}

static int check(const struct table_view *view)
{
	test_log_clear();
	return table_check_platform(view, &hw, v, ARRAY_SIZE(v));
}

/* The shipped QEMU demo starts everything on the q35 machine it is written for. */
static void test_qemu_demo(void)
{
	struct table_view view;
	void *blob = load_demo("qemu-x86_64-demo", &view);

	if (!blob)
		return;
	tt_q35(&hw, &map);
	CHECK_EQ(check(&view), 0);
	CHECK_EQ(tt_errors(), 0);
	CHECK_EQ(v[0].id, 0);
	CHECK_EQ(v[2].id, 2);
	CHECK_EQ(v[2].status, 0);

	tt_map_ovmf(&map);
	CHECK_EQ(check(&view), 0);
	CHECK_EQ(tt_errors(), 0);

	/* GRUB's modules sit in the hypervisor's memory; the image is carved there too */
	tt_map_seabios(&map, 0x80000000);
	map.r[3].size = 0x1000000 - 0x100000;
	tt_map_add(&map, 0x1000000, 0x1200000, MEM_HV_IMAGE);
	tt_map_add(&map, 0x1200000, 0x2000000, MEM_MODULE);
	tt_map_add(&map, 0x2000000, 0x7ffe0000, BOOT_MEM_RAM);
	tt_map_add(&map, 0x7ffe0000, 0x80000000, BOOT_MEM_RESERVED);
	/* keep the map sorted: move the high ranges after the new ones */
	{
		struct memmap sorted = { 0 };

		for (uint32_t i = 0; i < 4; i++)
			sorted.r[sorted.count++] = map.r[i];
		for (uint32_t i = 9; i < map.count; i++)
			sorted.r[sorted.count++] = map.r[i];
		for (uint32_t i = 5; i < 9; i++)
			sorted.r[sorted.count++] = map.r[i];
		map = sorted;
	}
	CHECK_EQ(check(&view), 0);
	CHECK_EQ(tt_errors(), 0);

	/* -smp 3: only rtos2, on APIC ID 3, cannot start */
	tt_q35(&hw, &map);
	hw.cpu_count = 3;
	CHECK_EQ(check(&view), 1);
	CHECK_EQ(v[0].status, 0);
	CHECK_EQ(v[1].status, 0);
	CHECK_EQ(v[2].status, -HV_ENODEV);
	CHECK_STR(v[2].reason, "cpu[0] APIC ID 0x3 is not among the machine's CPUs (MADT)");
	CHECK_LOG("table: partition \"rtos2\" (id 2) will not start: cpu[0] APIC ID 0x3 is not "
		  "among the machine's CPUs (MADT)");

	/* -m 512M: the RTOS memory does not exist; the root spans holes and still runs */
	tt_q35(&hw, &map);
	tt_map_seabios(&map, 0x20000000);
	CHECK_EQ(check(&view), 2);
	CHECK_EQ(v[0].status, 0);
	CHECK_STR(v[1].reason,
		  "memory[0] host 0x20000000 size 0x1000000: 0x20000000-0x20ffffff is not in the "
		  "firmware map (memory of a partition other than the root must be RAM)");
	CHECK_EQ(v[2].status, -HV_EFAULT);
	free(blob);
}

static void test_bochs_demo(void)
{
	struct table_view view;
	void *blob = load_demo("bochs-x86_64-demo", &view);
	static const struct table_module mods[] = { { "linux", 0x800000 },
						    { "initrd", 0x100000 },
						    { "rtos1", 0x10000 } };

	if (!blob)
		return;
	tt_q35(&hw, &map);
	tt_map_seabios(&map, 0x20000000); /* Bochs BIOS with megs: 512 */
	hw.cpu_count = 3;
	hw.modules = mods;
	hw.module_count = ARRAY_SIZE(mods);
	hw.pci = NULL; /* not known: skipped with a warning */
	CHECK_EQ(check(&view), 0);
	CHECK_EQ(tt_errors(), 0);
	CHECK_LOG("table: no PCI device list; partition devices are not checked");
	free(blob);
}

/* Emits and loads the table as t describes it, for the q35 machine */
static void load_table(void)
{
	uint64_t scratch[256];

	CHECK_EQ(tt_emit(&t), 0);
	CHECK_EQ(table_load(&t.view, t.blob, t.size, scratch, sizeof(scratch)), 0);
	tt_q35(&hw, &map);
}

/* The synthetic three-partition table against a synthetic q35. */
static void good_table(void)
{
	tt_good(&t);
	load_table();
}

static void test_memory(void)
{
	good_table();
	CHECK_EQ(check(&t.view), 0);
	CHECK_EQ(tt_errors(), 0);

	/* firmware keeps a page inside rtos1's RAM */
	good_table();
	map.r[3].size = 0x20800000 - 0x100000;
	tt_map_add(&map, 0x20800000, 0x20801000, BOOT_MEM_RESERVED);
	tt_map_add(&map, 0x20801000, 0x7ffe0000, BOOT_MEM_RAM);
	{
		struct memmap sorted = { 0 };

		for (uint32_t i = 0; i < 4; i++)
			sorted.r[sorted.count++] = map.r[i];
		sorted.r[sorted.count++] = map.r[map.count - 2];
		sorted.r[sorted.count++] = map.r[map.count - 1];
		for (uint32_t i = 4; i < map.count - 2; i++)
			sorted.r[sorted.count++] = map.r[i];
		map = sorted;
	}
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[1].reason, "memory[0] host 0x20000000 size 0x1000000: 0x20800000-0x20800fff is "
			       "reserved (memory of a partition other than the root must be RAM)");

	/* RAM where the root has an IO region: the root does not start, the RTOSes do */
	good_table();
	map.r[4] = (struct mem_range){ 0x7ffe0000, 0x10020000, BOOT_MEM_RAM };
	CHECK_EQ(check(&t.view), 1);
	CHECK_EQ(v[0].status, -HV_EFAULT);
	CHECK_EQ(v[1].status, 0);
	CHECK_EQ(v[2].status, 0);
	CHECK_LOG("table: partition \"root\" (id 0) will not start: memory[5] host 0x80000000 size "
		  "0x30000000: 0x80000000-0x8fffffff is RAM (an IO region must not be RAM)");

	/* the hypervisor was loaded somewhere else than the table says */
	good_table();
	hw.hv_base = 0x20000000;
	hw.hv_size = 0x100000;
	CHECK_EQ(check(&t.view), 1);
	CHECK_LOG("table: the hypervisor at 0x20000000-0x200fffff is outside the table's "
		  "hypervisor memory 0x1000000-0x4ffffff");
	CHECK_STR(v[1].reason, "memory[0] host 0x20000000 size 0x1000000 overlaps the hypervisor "
			       "as loaded at 0x20000000-0x200fffff");

	/* the hypervisor's pool, carved in the map, inside the root's RAM */
	good_table();
	map.r[3].size = 0x6000000 - 0x100000;
	map.r[9] = map.r[8];
	map.r[8] = map.r[7];
	map.r[7] = map.r[6];
	map.r[6] = map.r[5];
	map.r[5] = map.r[4];
	map.r[4] = (struct mem_range){ 0x6000000, 0x1000000, MEM_HV_POOL };
	map.r[5] = (struct mem_range){ 0x7000000, 0x7ffe0000 - 0x7000000, BOOT_MEM_RAM };
	map.r[6] = (struct mem_range){ 0x7ffe0000, 0x20000, BOOT_MEM_RESERVED };
	map.count = 10;
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[0].reason, "memory[1] host 0x5000000 size 0x1b000000: 0x6000000-0x6ffffff is "
			       "the hypervisor's page pool");

	/* a boot module inside rtos1's memory would be overwritten by its image */
	good_table();
	map.r[3].size = 0x20000000 - 0x100000;
	map.r[9] = map.r[8];
	map.r[8] = map.r[7];
	map.r[7] = map.r[6];
	map.r[6] = map.r[5];
	map.r[5] = map.r[4];
	map.r[4] = (struct mem_range){ 0x20000000, 0x100000, MEM_MODULE };
	map.r[5] = (struct mem_range){ 0x20100000, 0x7ffe0000 - 0x20100000, BOOT_MEM_RAM };
	map.r[6] = (struct mem_range){ 0x7ffe0000, 0x20000, BOOT_MEM_RESERVED };
	map.count = 10;
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[1].reason,
		  "memory[0] host 0x20000000 size 0x1000000: 0x20000000-0x200fffff is a boot "
		  "module (memory of a partition other than the root must be RAM)");

	/* no memory map at all: warned, memory not checked */
	good_table();
	hw.memmap = NULL;
	CHECK_EQ(check(&t.view), 0);
	CHECK_LOG("table: no memory map; partition memory is not checked against it");

	/* a root with no RAM at all */
	good_table();
	map.count = 0;
	tt_map_add(&map, 0x20000000, 0x22200000, BOOT_MEM_RAM);
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[0].reason, "none of its memory is RAM in the firmware map");
}

static void test_devices_and_images(void)
{
	static const uint32_t few_pci[] = { TABLE_SBDF(0, 0, 0) };
	static const struct table_module no_rtos2[] = { { "linux", 0x100 },
							{ "initrd", 0x100 },
							{ "rtos1", 0x100 } };
	static const struct table_module no_initrd[] = { { "linux", 0x100 },
							 { "rtos1", 0x100 },
							 { "rtos2", 0x100 } };
	static const struct table_module big[] = { { "linux", 0x100 },
						   { "initrd", 0x100 },
						   { "rtos1", 0x100 },
						   { "rtos2 some args", 0x1000001 } };

	/* the root lacks a device: a warning; rtos1 lacks its device: it does not start */
	good_table();
	hw.pci = few_pci;
	hw.pci_count = 1;
	CHECK_EQ(check(&t.view), 1);
	CHECK_LOG("WARN: table: partition \"root\" (id 0): pci[1] 0000:00:02.0 is not on the "
		  "machine; the root starts without it");
	CHECK_EQ(v[0].status, 0);
	CHECK_STR(v[1].reason, "pci[0] 0000:00:03.0 is not on the machine");
	CHECK_EQ(v[1].status, -HV_ENODEV);

	good_table();
	hw.modules = no_rtos2;
	hw.module_count = ARRAY_SIZE(no_rtos2);
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[2].reason, "image tag \"rtos2\" names no boot module");
	CHECK_EQ(v[2].status, -HV_ENOENT);

	good_table();
	hw.modules = no_initrd;
	hw.module_count = ARRAY_SIZE(no_initrd);
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[0].reason, "image initrd_tag \"initrd\" names no boot module");

	/* a raw image that does not fit behind its load address */
	tt_good(&t);
	t.parts[2].image = (struct table_desc_image){
		.format = BH_IMAGE_RAW, .tag = "rtos2", .load_address = 0x100000, .entry = 0x100000
	};
	CHECK_EQ(tt_run(&t), 0);
	tt_q35(&hw, &map);
	hw.modules = big;
	hw.module_count = ARRAY_SIZE(big);
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[2].reason, "raw image \"rtos2\" of 0x1000001 bytes does not fit at 0x100000 in "
			       "memory[0] (0xf00000 bytes left)");
	CHECK_EQ(v[2].status, -HV_E2BIG);

	/* an ELF image larger than all the partition's loadable memory */
	good_table();
	hw.modules = big;
	hw.module_count = ARRAY_SIZE(big);
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[2].reason, "image \"rtos2\" of 0x1000001 bytes is larger than its LOADABLE "
			       "memory (0x1000000 bytes)");
}

/* tt_good() with the root's ports less 0x600-0x6ff, which the test gives to others */
static void good_without_pm_block(void)
{
	tt_good(&t);
	t.pio[0][2] = (struct bh_pio_range){ .base = 0x400, .size = 0x200 };
	t.pio[0][3] = (struct bh_pio_range){ .base = 0x700, .size = 0x5f8 };
	t.pio[0][4] = (struct bh_pio_range){ .base = 0xd00, .size = 0xf300 };
	t.parts[0].pio_count = 5;
}

/* Platform-control ports: never an RT partition's, whatever the table grants; the root's trap */
static void test_ctl_ports(void)
{
	/* rtos1 given the TCO watchdog's ports (PMBASE 0x600 + 0x60): it does not start */
	good_without_pm_block();
	t.pio[1][0] = (struct bh_pio_range){ .base = 0x660, .size = 0x20 };
	load_table();
	CHECK_EQ(check(&t.view), 1);
	CHECK_EQ(v[1].status, -HV_EPERM);
	CHECK_STR(v[1].reason, "pio[0] ports 0x660-0x67f include the chipset's PM block (PM1, "
			       "SMI_EN, the TCO watchdog), the hypervisor's");
	CHECK_EQ(v[0].status, 0); /* the root's would be trapped */
	CHECK_EQ(v[2].status, 0);
	/* one port of PM1a control, the last byte of the block: each is refused */
	good_without_pm_block();
	t.pio[1][0] = (struct bh_pio_range){ .base = 0x605, .size = 1 };
	t.pio[2][0] = (struct bh_pio_range){ .base = 0x67f, .size = 1 };
	t.parts[2].pio_count = 1;
	load_table();
	CHECK_EQ(check(&t.view), 2);
	CHECK_STR(v[1].reason, "pio[0] ports 0x605-0x605 include the chipset's PM block (PM1, "
			       "SMI_EN, the TCO watchdog), the hypervisor's");
	CHECK_LOG("table: partition \"rtos1\" (id 1) will not start: pio[0] ports 0x605-0x605 "
		  "include the FADT's PM1a control block, the hypervisor's");
	CHECK_EQ(v[2].status, -HV_EPERM);
	/* next to the block: fine; on a machine without such a chipset: nothing refused */
	good_without_pm_block();
	t.pio[2][0] = (struct bh_pio_range){ .base = 0x680, .size = 8 };
	t.parts[2].pio_count = 1;
	load_table();
	CHECK_EQ(check(&t.view), 0);
	good_without_pm_block();
	t.pio[1][0] = (struct bh_pio_range){ .base = 0x660, .size = 0x20 };
	load_table();
	hw.ctl_ports = NULL;
	hw.ctl_port_count = 0;
	CHECK_EQ(check(&t.view), 0);
}

/* Platform register windows from the firmware: never mapped, but the root's trapped ones */
static void test_ctl_windows(void)
{
	static const struct table_platform_window other_mcfg[] = {
		{ 0xa0000000, 0x10000000, "a PCI configuration window (MCFG)", false },
	};
	/* rtos2 given the HPET page as MMIO: the root's is trapped, an RT partition's is not */
	tt_good(&t);
	t.mem[2][2] = tt_mem(0xfed00000, 0x2000000, 0x1000, TT_MMIO);
	t.parts[2].memory_count = 3;
	load_table();
	CHECK_EQ(check(&t.view), 1);
	CHECK_STR(v[2].reason,
		  "memory[2] host 0xfed00000-0xfed00fff covers the HPET (ACPI) at "
		  "0xfed00000-0xfed003ff (the firmware's description), the hypervisor's");
	/* the firmware's MCFG is not the table's: the root's window covers the real one */
	good_table();
	hw.ctl_windows = other_mcfg;
	hw.ctl_window_count = 1;
	CHECK_EQ(check(&t.view), 1);
	CHECK_EQ(v[0].status, -HV_EPERM);
	CHECK_STR(v[0].reason, "memory[5] host 0x80000000-0xafffffff covers a PCI configuration "
			       "window (MCFG) at 0xa0000000-0xafffffff (the firmware's "
			       "description), the hypervisor's");
	/* no description: nothing to compare */
	good_table();
	hw.ctl_windows = NULL;
	hw.ctl_window_count = 0;
	CHECK_EQ(check(&t.view), 0);
}

/* A chipset bridge's own registers are never granted: CFG_ALL on one is refused */
static void test_chipset_cfg(void)
{
	tt_good(&t);
	t.pci[0][0].cfg_write = BH_PCI_CFG_W_ALL; /* the host bridge, 00:00.0 */
	t.pci[0][1].cfg_write = BH_PCI_CFG_W_ALL; /* the NIC: fine */
	load_table();
	CHECK_EQ(check(&t.view), 1);
	CHECK_EQ(v[0].status, -HV_EPERM);
	CHECK_STR(v[0].reason, "pci[0] 0000:00:00.0 is a host or ISA/LPC bridge (class 0x060000): "
			       "cfg_write 0x7f grants its chipset registers (CAPS/EXT); use "
			       "CFG_DEFAULT");
	/* EXT alone is enough; without class information nothing is refused */
	tt_good(&t);
	t.pci[0][0].cfg_write = BH_PCI_CFG_W_DEFAULT | BH_PCI_CFG_W_EXT;
	load_table();
	CHECK_EQ(check(&t.view), 1);
	hw.pci_class = NULL;
	CHECK_EQ(check(&t.view), 0);
	/* CFG_DEFAULT (the shipped tables): starts */
	good_table();
	CHECK_EQ(check(&t.view), 0);
}

/* A bridge whose buses hold another partition's function: its owner does not start. */
static void test_bridges(void)
{
	static uint32_t pci[8], cls[8], br[8];
	uint32_t n = ARRAY_SIZE(tt_q35_pci);

	memcpy(pci, tt_q35_pci, sizeof(tt_q35_pci));
	memcpy(cls, tt_q35_class, sizeof(tt_q35_class));
	memset(br, 0, sizeof(br));
	pci[n] = TABLE_SBDF(0, 1, BH_PCI_DEVFN(0, 0)); /* a NIC behind 00:02.0 */
	cls[n] = 0x020000;
	br[2] = TABLE_PCI_BRIDGE(1, 1); /* 00:02.0, the root's, as a bridge to bus 1 */

	tt_good(&t);
	t.pci[1][0] = tt_pci(1, 0, 0); /* rtos1 gets the NIC behind the root's bridge */
	load_table();
	hw.pci = pci;
	hw.pci_class = cls;
	hw.pci_count = n + 1;
	hw.pci_bridge = br;
	CHECK_EQ(check(&t.view), 1);
	CHECK_EQ(v[0].status, -HV_EPERM);
	CHECK_STR(v[0].reason,
		  "pci[1] 0000:00:02.0 is a bridge to buses 1-1, which hold partition "
		  "\"rtos1\"'s 0000:01:00.0 (it could renumber, re-window or reset it)");
	CHECK_EQ(v[1].status, 0);
	/* buses 2-5 do not hold it */
	br[2] = TABLE_PCI_BRIDGE(2, 5);
	CHECK_EQ(check(&t.view), 0);
	/* the subordinate bus counts: 0-1 holds bus 1 */
	br[2] = TABLE_PCI_BRIDGE(0, 1);
	CHECK_EQ(check(&t.view), 1);
	/* without bridge information nothing is refused */
	hw.pci_bridge = NULL;
	CHECK_EQ(check(&t.view), 0);
	/* the root's own devices behind its bridge are fine */
	tt_good(&t);
	t.pci[0][1] = tt_pci(1, 0, 0);
	t.pci[0][2] = tt_pci(0, 2, 0);
	t.parts[0].pci_count = 3;
	load_table();
	hw.pci = pci;
	hw.pci_class = cls;
	hw.pci_count = n + 1;
	hw.pci_bridge = br;
	br[2] = TABLE_PCI_BRIDGE(1, 1);
	CHECK_EQ(check(&t.view), 0);
}

static void test_misc(void)
{
	good_table();
	hw.arch = BH_ARCH_ARM64;
	CHECK_EQ(check(&t.view), -HV_EINVAL);
	CHECK_LOG("table: the table is for x86_64, this machine is arm64");

	good_table();
	test_log_clear();
	CHECK_EQ(table_check_platform(&t.view, &hw, v, 2), -HV_EINVAL);
	CHECK_LOG("table: platform check needs a parsed table and 3 verdict slots (got 2)");

	good_table();
	hw.cpu_ids = NULL;
	hw.modules = NULL;
	CHECK_EQ(check(&t.view), 0);
	CHECK_LOG("table: no CPU list; partition CPUs are not checked");
	CHECK_LOG("table: no boot module list; image tags are not checked");

	CHECK(table_module_matches("linux", "linux"));
	CHECK(table_module_matches("linux console=ttyS0", "linux"));
	CHECK(!table_module_matches("linuxx", "linux"));
	CHECK(!table_module_matches("linu", "linux"));
	CHECK(!table_module_matches("linux", ""));
}

int main(void)
{
	test_qemu_demo();
	test_bochs_demo();
	test_memory();
	test_devices_and_images();
	test_ctl_ports();
	test_ctl_windows();
	test_chipset_cfg();
	test_bridges();
	test_misc();
	return check_summary();
}
