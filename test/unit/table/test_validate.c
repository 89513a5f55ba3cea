// SPDX-License-Identifier: GPL-2.0-only
/* Validator tests: a valid table is accepted, and each broken one is rejected with its own message. */
#include "table_test.h"

static struct tt t;

static void test_good(void)
{
	tt_good(&t);
	test_log_clear();
	CHECK_EQ(tt_run(&t), 0);
	CHECK_EQ(tt_errors(), 0);
	CHECK_EQ(t.view.n[BH_SECT_PARTITIONS], 3);
	CHECK_EQ(t.view.n[BH_SECT_MEMORY], 10);
	CHECK_EQ(t.view.n[BH_SECT_LINKS], 2);
	CHECK_STR(table_root(&t.view)->name, "root");
	CHECK_STR(table_find_partition(&t.view, 2)->name, "rtos2");
	CHECK(table_find_partition(&t.view, 7) == NULL);
	CHECK_STR(table_owner(&t.view, BH_SECT_MEMORY, 7)->name, "rtos1");
	CHECK_STR(table_owner(&t.view, BH_SECT_CPUS, 3)->name, "rtos2");
	CHECK(table_owner(&t.view, BH_SECT_CPUS, 4) == NULL);
	CHECK(table_owner(&t.view, BH_SECT_LINKS, 0) == NULL);
	CHECK_EQ(t.view.links[0].peers[1].region, 1);
	CHECK_EQ(t.view.links[1].peers[0].region, 3);
}

static void test_partitions(void)
{
	tt_good(&t);
	t.parts[0].flags = 0;
	TT_REJECT(&t, "table: no partition has the ROOT flag; exactly one must", 1);

	tt_good(&t);
	t.parts[2].flags |= BH_PART_ROOT;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): has the ROOT flag, as does partition "
		  "\"root\" (id 0); exactly one root is allowed",
		  1);

	tt_good(&t);
	t.parts[1].flags |= 0x100;
	TT_REJECT(&t, "table: partition \"rtos1\" (id 1): flags 0x106 has unknown bits 0x100", 1);

	tt_good(&t);
	t.parts[2].id = 1;
	t.peers[1][1].partition = NULL; /* keep the link resolvable by id */
	t.peers[1][1].partition_id = 1;
	t.peers[1][1].region = 1;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 1): has the same id as partition \"rtos1\"",
		  0);

	tt_good(&t);
	t.parts[2].name = "rtos1";
	t.peers[1][1].partition = NULL;
	t.peers[1][1].partition_id = 2;
	t.peers[1][1].region = 1;
	TT_REJECT(&t, "table: partition \"rtos1\" (id 2): has the same name as partition id 1", 1);

	tt_good(&t);
	t.parts[2].fault_policy = 7;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 2): fault_policy 7 is unknown", 1);

	tt_good(&t);
	t.parts[2].fault_policy = BH_FAULT_RESTART;
	TT_REJECT(
		&t, "table: partition \"rtos2\" (id 2): fault_policy RESTART needs the RESTARTABLE flag",
		1);

	tt_good(&t);
	t.parts[0].flags |= BH_PART_RESTARTABLE;
	TT_REJECT(&t, "table: partition \"root\" (id 0): the root partition cannot be RESTARTABLE",
		  1);

	tt_good(&t);
	t.parts[2].cpu_count = 0;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 2): has no CPUs", 1);

	tt_good(&t);
	t.parts[2].memory_count = 0;
	t.d.link_count = 1;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 2): has no memory regions", 0);
}

static void test_memory(void)
{
	/* the brief's example: one RTOS's memory given to another as well */
	tt_good(&t);
	t.mem[1][0].host = 0x21000000;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] host 0x21000000 size 0x1000000 "
		  "overlaps partition \"rtos1\" (id 1) memory[0] host 0x21000000 size 0x1000000",
		  1);

	tt_good(&t);
	t.mem[0][1].size = 0x1b100000; /* runs into rtos1 at 0x20000000 */
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): memory[0] host 0x20000000 size 0x1000000 "
		  "overlaps partition \"root\" (id 0) memory[1] host 0x5000000 size 0x1b100000",
		  1);

	tt_good(&t);
	t.mem[0][6] = tt_mem(0x6000000, 0xc0000000, 0x1000, TT_MMIO);
	t.parts[0].memory_count = 7;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[6] host 0x6000000 size 0x1000 overlaps "
		  "memory[1] host 0x5000000 size 0x1b000000 of the same partition",
		  1);

	tt_good(&t);
	t.mem[1][1].guest = 0x800000;
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): memory[1] guest 0x800000 size 0x100000 "
		  "overlaps memory[0] guest 0x0 size 0x1000000",
		  1);

	tt_good(&t);
	t.mem[0][0].size = 0x2000000;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[0] host 0x0 size 0x2000000 overlaps "
		  "the hypervisor's memory 0x1000000-0x4ffffff",
		  1);

	tt_good(&t);
	t.mem[0][5].size = 0x31000000;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[5] host 0x80000000 size 0x31000000 "
		  "overlaps PCI MMCONFIG window mmconfig[0] 0xb0000000-0xbfffffff, which the "
		  "hypervisor filters",
		  1);

	tt_good(&t);
	t.mem[0][6] = tt_mem(0xfec00000, 0xfec00000, 0x1000, TT_MMIO);
	t.parts[0].memory_count = 7;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[6] host 0xfec00000 size 0x1000 "
		  "overlaps interrupt controller irqchips[0] at 0xfec00000",
		  1);

	tt_good(&t);
	t.mem[0][6] = tt_mem(0xfee00000, 0xfee00000, 0x1000, TT_MMIO);
	t.parts[0].memory_count = 7;
	TT_REJECT(
		&t,
		"table: partition \"root\" (id 0): memory[6] host 0xfee00000 size 0x1000 overlaps "
		"the local APIC window 0xfee00000-0xfeefffff, which the hypervisor virtualizes",
		1);

	tt_good(&t);
	t.iommus[0] = (struct bh_iommu){ .type = BH_IOMMU_VTD, .base = 0xfed90000, .size = 0x1000 };
	t.d.platform.iommu_count = 1;
	t.mem[0][6] = tt_mem(0xfed00000, 0xfed00000, 0x100000, TT_MMIO);
	t.parts[0].memory_count = 7;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[6] host 0xfed00000 size 0x100000 "
		  "overlaps the registers of iommus[0] at 0xfed90000",
		  1);

	tt_good(&t);
	t.mem[2][0].flags |= 1u << 12;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] host 0x21000000 flags 0x108f has "
		  "unknown bits 0x1000",
		  1);

	tt_good(&t);
	t.mem[2][0].host = 0x21000800;
	t.mem[2][0].size = 0xfff000;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] host 0x21000800 is not 4 KiB "
		  "aligned (the page tables map 4 KiB pages at the least)",
		  1);

	tt_good(&t);
	t.mem[2][0].guest = 0x10;
	t.mem[2][0].size = 0xfff000;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] guest 0x10 is not 4 KiB aligned",
		  1);

	tt_good(&t);
	t.mem[2][0].size = 0xfff000 + 0x800;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] host 0x21000000 size 0xfff800 is "
		  "not a multiple of 4 KiB",
		  1);

	tt_good(&t);
	t.mem[2][0].size = 0;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 2): memory[0] host 0x21000000 has size 0", 1);

	tt_good(&t);
	t.mem[0][6] = tt_mem(0xffffffffff000ULL, 0x200000000, 0x2000, TT_MMIO);
	t.parts[0].memory_count = 7;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[6] host 0xffffffffff000 size 0x2000 "
		  "ends beyond the 52-bit physical address space",
		  1);

	tt_good(&t);
	t.mem[2][0].guest = UINT64_MAX - 0xfff;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] guest 0xfffffffffffff000 size "
		  "0x1000000 ends beyond the 52-bit guest-physical address space",
		  1);

	tt_good(&t);
	t.mem[0][5].flags = BH_MEM_IO | BH_MEM_DMA;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[5] host 0x80000000 has none of READ, "
		  "WRITE, EXEC",
		  1);

	tt_good(&t);
	t.mem[0][5].flags |= BH_MEM_LOADABLE;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[5] host 0x80000000 is both IO and "
		  "LOADABLE",
		  1);

	tt_good(&t);
	t.mem[0][5].flags |= BH_MEM_SHARED;
	TT_REJECT(
		&t,
		"table: partition \"root\" (id 0): memory[5] host 0x80000000 is both IO and SHARED",
		2); /* and no link uses it */

	tt_good(&t);
	t.mem[0][6] = tt_mem(0x22300000, 0x22300000, 0x1000, TT_SHMEM);
	t.mem[0][4].host = t.mem[0][4].guest = 0x22400000;
	t.mem[0][4].size = 0x5dc00000;
	t.parts[0].memory_count = 7;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): memory[6] host 0x22300000 is SHARED but no "
		  "link uses it",
		  1);

	/* shared memory overlapping a region that is not the link's other end */
	tt_good(&t);
	t.mem[2][0].host = 0x22000000;
	t.mem[2][0].size = 0x100000;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): memory[0] host 0x22000000 size 0x100000 "
		  "overlaps partition \"root\" (id 0) memory[2] host 0x22000000 size 0x100000",
		  1);
}

static void test_cpus(void)
{
	tt_good(&t);
	t.cpus[2][0] = 2;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): cpu[0] APIC ID 2 is also given to partition "
		  "\"rtos1\" (id 1) cpu[0]",
		  1);

	tt_good(&t);
	t.cpus[0][1] = 0;
	TT_REJECT(
		&t,
		"table: partition \"root\" (id 0): cpu[1] APIC ID 0 is listed twice (also cpu[0])",
		1);

	tt_good(&t);
	t.cpus[2][0] = 0xffffffff;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): cpu[0] APIC ID 0xffffffff is not a valid "
		  "x2APIC ID",
		  1);
}

static void test_pci(void)
{
	tt_good(&t);
	t.pci[1][0] = tt_pci(0, 2, 0);
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): pci[0] 0000:00:02.0 is also given to "
		  "partition \"root\" (id 0) pci[1]",
		  1);

	tt_good(&t);
	t.pci[0][1] = tt_pci(0, 0, 0);
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): pci[1] 0000:00:00.0 is listed twice (also "
		  "pci[0])",
		  1);

	tt_good(&t);
	t.pci[1][0].cfg_write |= 0x100;
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): pci[0] 0000:00:03.0 cfg_write 0x11b has "
		  "unknown bits 0x100",
		  1);

	tt_good(&t);
	t.pci[1][0].windows[1] = (struct bh_pci_window){ .offset = 0xffc, .size = 8 };
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): pci[0] 0000:00:03.0 window[1] 0xffc+0x8 ends "
		  "beyond the 4096-byte configuration space",
		  1);

	tt_good(&t);
	t.pci[1][0].segment = 1;
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): pci[0] 0001:00:03.0 is on no PCI MMCONFIG "
		  "window of the platform",
		  1);
}

static void test_pio(void)
{
	tt_good(&t);
	t.pio[1][0] = (struct bh_pio_range){ .base = 0x2f0, .size = 0x10 };
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): pio[0] ports 0x2f0-0x2ff overlap partition "
		  "\"root\" (id 0) pio[0] ports 0x0-0x2f7",
		  1);

	tt_good(&t);
	t.pio[2][0] = (struct bh_pio_range){ .base = 0x3f8, .size = 8 };
	t.parts[2].pio_count = 1;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0x3f8-0x3ff overlap the "
		  "hypervisor console at 0x3f8",
		  1);

	tt_good(&t);
	t.pio[2][0] = (struct bh_pio_range){ .base = 0xcfc, .size = 4 };
	t.parts[2].pio_count = 1;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0xcfc-0xcff include the PCI "
		  "configuration ports 0xcf8-0xcff, which the hypervisor emulates",
		  1);

	tt_good(&t);
	t.pio[0][3].size = 0xf301;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): pio[3] base 0xd00 size 0xf301 ends beyond "
		  "port 0xffff",
		  1);

	tt_good(&t);
	t.pio[1][0].size = 0;
	TT_REJECT(&t, "table: partition \"rtos1\" (id 1): pio[0] base 0x2f8 has size 0", 1);
}

/* Reset, SMI and platform-control ports: the root's (trapped), never an RT partition's. */
static void test_pio_platform(void)
{
	/* the root keeps them: the good table gives it 0x0-0x2f7 */
	tt_good(&t);
	CHECK_EQ(tt_run(&t), 0);

	tt_good(&t);
	t.pio[0][0] = (struct bh_pio_range){ .base = 0x100, .size = 0x1f8 };
	t.pio[2][0] = (struct bh_pio_range){ .base = 0x64, .size = 1 };
	t.parts[2].pio_count = 1;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0x64-0x64 include the keyboard "
		  "controller's command port 0x64 (reset pulse), which only the root may have "
		  "(trapped by the hypervisor)",
		  1);

	t.pio[2][0] = (struct bh_pio_range){ .base = 0x60, .size = 5 };
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0x60-0x64 include the keyboard "
		  "controller's data port 0x60 (output port: reset), which only the root may have "
		  "(trapped by the hypervisor)",
		  2);

	t.pio[2][0] = (struct bh_pio_range){ .base = 0x80, .size = 0x20 };
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0x80-0x9f include System "
		  "Control Port A 0x92 (fast reset, A20), which only the root may have (trapped "
		  "by the hypervisor)",
		  1);

	t.pio[2][0] = (struct bh_pio_range){ .base = 0xb3, .size = 1 };
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0xb3-0xb3 include the APM/SMI "
		  "command ports 0xb2-0xb3 (SMI), which only the root may have (trapped by the "
		  "hypervisor)",
		  1);

	/* 0xcf9 is inside the PCI configuration ports, refused for everyone */
	t.pio[2][0] = (struct bh_pio_range){ .base = 0xcf9, .size = 1 };
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): pio[0] ports 0xcf9-0xcf9 include the PCI "
		  "configuration ports 0xcf8-0xcff, which the hypervisor emulates",
		  1);

	/* next to them is fine */
	t.pio[2][0] = (struct bh_pio_range){ .base = 0x65, .size = 0x2d };
	CHECK_EQ(tt_run(&t), 0);
	t.pio[2][0] = (struct bh_pio_range){ .base = 0x93, .size = 0x1f };
	CHECK_EQ(tt_run(&t), 0);
}

static void test_irqs(void)
{
	tt_good(&t);
	t.irqs[1][0].chip = 1;
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): irqs[0] chip 1 does not exist (the platform "
		  "has 1 interrupt controllers)",
		  1);

	tt_good(&t);
	t.irqs[0][1].count = 20;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): irqs[1] chip 0 pins 5-24 exceed its 24 lines",
		  1);

	tt_good(&t);
	t.irqs[1][0].first = 2;
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): irqs[0] chip 0 pins 2-2 overlap partition "
		  "\"root\" (id 0) irqs[0] pins 0-2",
		  1);

	tt_good(&t);
	t.irqs[1][0].count = 0;
	TT_REJECT(&t, "table: partition \"rtos1\" (id 1): irqs[0] chip 0 first 3 has count 0", 1);
}

static void test_links(void)
{
	tt_good(&t);
	t.links[0].peer_count = 1;
	/* rtos1's shared region is now in no link */
	TT_REJECT(&t, "table: link \"root-rtos1\": has 1 peer(s), needs at least 2", 3);

	tt_good(&t);
	t.peers[0][1] = (struct table_desc_peer){ .partition_id = 9, .region = 1, .vector = 0x40 };
	TT_REJECT(&t, "table: link \"root-rtos1\": peer[1] partition id 9 does not exist", 0);

	tt_good(&t);
	t.mem[1][1].flags &= ~BH_MEM_SHARED; /* the emitter finds no SHARED region for rtos1 */
	TT_REJECT(
		&t,
		"table: link \"root-rtos1\": peer[1] partition \"rtos1\" (id 1) has no "
		"memory[4294967295] (it has 2 regions); its SHARED region for the link is missing",
		0);

	tt_good(&t);
	t.peers[0][1] = (struct table_desc_peer){ .partition_id = 1, .region = 0, .vector = 0x40 };
	TT_REJECT(&t,
		  "table: link \"root-rtos1\": peer[1] partition \"rtos1\" (id 1) memory[0] host "
		  "0x20000000 is not SHARED",
		  0);

	tt_good(&t);
	t.peers[1][1] = (struct table_desc_peer){ .partition_id = 0, .region = 3 };
	TT_REJECT(&t,
		  "table: link \"root-rtos2\": peer[1] partition \"root\" (id 0) is also peer[0]",
		  0);

	tt_good(&t);
	t.links[1].size = 0xc0000;
	t.mem[0][3].size = 0xc0000;
	t.mem[2][1].size = 0xc0000;
	TT_REJECT(&t,
		  "table: link \"root-rtos2\": shared memory host 0x22100000 size 0xc0000 is not a "
		  "4 KiB aligned power-of-two range",
		  1);

	tt_good(&t);
	t.peers[0][1].vector = 7;
	TT_REJECT(&t, "table: link \"root-rtos1\": peer[1] doorbell vector 7 is not 0 or 32-255",
		  1);

	tt_good(&t);
	t.links[1].name = "root-rtos1";
	TT_REJECT(&t, "table: link \"root-rtos1\": the name is also links[0]'s", 1);

	tt_good(&t);
	t.links[0].flags = 4;
	TT_REJECT(&t, "table: link \"root-rtos1\": flags 0x4 has unknown bits 0x4", 1);

	/* rtos2's peer region differs from the link's memory */
	tt_good(&t);
	t.peers[1][1] = (struct table_desc_peer){ .partition_id = 2, .region = 1, .vector = 0x40 };
	t.mem[2][1].host = 0x22400000;
	t.mem[0][4].host = t.mem[0][4].guest = 0x22500000;
	t.mem[0][4].size = 0x5db00000;
	TT_REJECT(&t,
		  "table: link \"root-rtos2\": peer[1] partition \"rtos2\" (id 2) memory[1] host "
		  "0x22400000 size 0x100000 differs from the link's host 0x22100000 size 0x100000",
		  0);

	tt_good(&t);
	t.links[0].peer_count = 5;
	for (int i = 2; i < 5; i++)
		t.peers[0][i] = t.peers[0][1];
	TT_REJECT(&t, "table: link \"root-rtos1\": peer_count 5 exceeds 4", 0);
}

static void test_images(void)
{
	tt_good(&t);
	t.parts[2].image.format = 9;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 2): image format 9 is unknown", 1);

	tt_good(&t);
	t.parts[2].image.tag = "";
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): image tag is empty (no boot module would "
		  "hold the image)",
		  1);

	tt_good(&t);
	t.parts[2].image.initrd_tag = "initrd2";
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): image initrd_tag \"initrd2\" is given for a "
		  "ELF64 image (only Linux images take an initrd)",
		  1);

	tt_good(&t);
	t.parts[2].image.entry = 0x100000;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): image entry 0x100000 is only used by raw "
		  "images (a ELF64 image names its own)",
		  1);

	tt_good(&t);
	t.parts[2].image = (struct table_desc_image){
		.format = BH_IMAGE_RAW, .tag = "rtos2", .load_address = 0x3000000, .entry = 0x100000
	};
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): image load address 0x3000000 is in no "
		  "LOADABLE memory region (the image would not fit its memory)",
		  1);

	tt_good(&t);
	t.parts[2].image = (struct table_desc_image){
		.format = BH_IMAGE_RAW, .tag = "rtos2", .load_address = 0x100000, .entry = 0x1000000
	};
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): image entry 0x1000000 is in no EXEC memory "
		  "region",
		  1);

	tt_good(&t);
	t.parts[2].image = (struct table_desc_image){ .format = BH_IMAGE_RAW,
						      .tag = "rtos2",
						      .entry = 0x100000 };
	TT_REJECT(
		&t,
		"table: partition \"rtos2\" (id 2): image load address is 0; a raw image needs one",
		1);

	tt_good(&t);
	for (int i = 0; i < 6; i++)
		t.mem[0][i].flags &= ~BH_MEM_LOADABLE;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): has no LOADABLE memory region to put its "
		  "bzImage image in",
		  1);

	tt_good(&t);
	t.mem[0][0].flags &= ~BH_MEM_LOADABLE; /* 1 MiB, where a bzImage goes, is not loadable */
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): image load address 0x100000 is in no LOADABLE "
		  "memory region",
		  1);

	tt_good(&t);
	t.parts[0].image.format = BH_IMAGE_ARM64_IMAGE;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): image format arm64 Image is not for x86_64",
		  1);

	tt_good(&t);
	t.parts[2].image.flags = 2;
	TT_REJECT(&t, "table: partition \"rtos2\" (id 2): image flags 0x2 has unknown bits 0x2", 1);

	tt_good(&t);
	t.parts[2].image.flags = BH_IMAGE_F_START32;
	CHECK_EQ(tt_run(&t), 0);
	tt_good(&t);
	t.parts[0].image.flags = BH_IMAGE_F_START32;
	TT_REJECT(&t,
		  "table: partition \"root\" (id 0): image flag START32 needs an x86 ELF64 or raw "
		  "image, not bzImage",
		  1);
}

static void test_platform(void)
{
	tt_good(&t);
	t.d.platform.arch = 3;
	TT_REJECT(&t, "table: platform arch 3 is unknown", 0);

	tt_good(&t);
	t.d.platform.hv_size = 0x4000800;
	TT_REJECT(&t,
		  "table: platform hypervisor memory 0x1000000 size 0x4000800 is not a non-empty 4 "
		  "KiB aligned range",
		  2);

	tt_good(&t);
	t.d.platform.console.type = 9;
	TT_REJECT(&t, "table: platform console: type 9 is unknown", 1);

	tt_good(&t);
	t.d.platform.console.base = 0xfffc;
	TT_REJECT(&t, "table: platform console: port 0xfffc is beyond port 0xffff", 2);

	tt_good(&t);
	t.mmcfg[0].bus_start = 5;
	t.mmcfg[0].bus_end = 4;
	TT_REJECT(&t, "table: mmconfig[0] bus range 5-4 is empty", 0);

	tt_good(&t);
	t.mmcfg[0].base = 0xb0080000;
	TT_REJECT(&t,
		  "table: mmconfig[0] base 0xb0080000 is not 1 MiB aligned inside the physical "
		  "address space",
		  0);

	tt_good(&t);
	t.irqchips[0].lines = 0;
	TT_REJECT(&t, "table: irqchips[0] has 0 lines, expected 1-240", 0);

	tt_good(&t);
	t.irqchips[1] = t.irqchips[0];
	t.irqchips[1].base = 0xfec01000;
	t.irqchips[1].gsi_base = 16;
	t.d.platform.irqchip_count = 2;
	TT_REJECT(&t, "table: irqchips[1] interrupts 16-39 overlap irqchips[0] 0-23", 1);

	tt_good(&t);
	t.iommus[0] = (struct bh_iommu){ .type = BH_IOMMU_SMMUV3,
					 .base = 0xfed90000,
					 .size = 0x1000 };
	t.d.platform.iommu_count = 1;
	TT_REJECT(&t, "table: iommus[0] type 3 is unknown for x86_64", 1);

	tt_good(&t);
	t.d.platform.flags = 2;
	TT_REJECT(&t, "table: platform flags 0x2 has unknown bits 0x2", 1);
}

/* A table with many errors prints the first TABLE_ERRORS_SHOWN and a count. */
static void test_error_cap(void)
{
	static struct bh_mem_region many[40];

	tt_good(&t);
	for (int i = 0; i < 40; i++)
		many[i] = tt_mem(0x100000000ULL + 0x1000ULL * i, 0x100000000ULL + 0x1000ULL * i,
				 0x1000, TT_MMIO | (1u << 20));
	t.parts[2].memory = many;
	t.parts[2].memory_count = 40;
	t.d.link_count = 1;
	test_log_clear();
	CHECK(tt_run(&t) < 0);
	CHECK_LOG("table: 42 errors in all, the first 32 shown");
	CHECK_EQ(tt_errors(), 33);
}

static void test_scratch(void)
{
	uint32_t small[2];

	tt_good(&t);
	CHECK_EQ(tt_emit(&t), 0);
	CHECK_EQ(table_parse(&t.view, t.blob, t.size), 0);
	test_log_clear();
	CHECK_EQ(table_validate(&t.view, small, sizeof(small)), -HV_ENOMEM);
	CHECK_LOG("table: validation needs 200 bytes of 8-byte aligned scratch memory, got 8");
	/* load = parse + validate */
	{
		uint64_t scratch[64];

		CHECK_EQ(table_load(&t.view, t.blob, t.size, scratch, sizeof(scratch)), 0);
	}
}

/* arm64 tables: MPIDRs, GIC lines, no I/O ports, arm64 Image. */
static void test_arm64(void)
{
	tt_good(&t);
	t.d.platform.arch = BH_ARCH_ARM64;
	t.d.platform.console = (struct bh_console){ .type = BH_CONSOLE_PL011,
						    .base = 0xc1000000,
						    .reg_width = 4 };
	t.d.platform.mmconfig_count = 0;
	t.irqchips[0] = (struct bh_irqchip){
		.type = BH_IRQCHIP_GICD, .base = 0xc0000000, .size = 0x10000, .lines = 988
	};
	t.irqchips[1] = (struct bh_irqchip){ .type = BH_IRQCHIP_GICR,
					     .base = 0xc00a0000,
					     .size = 0xf60000 };
	t.d.platform.irqchip_count = 2;
	t.parts[0].pio_count = 0;
	t.parts[1].pio_count = 0;
	t.parts[0].pci_count = 0;
	t.parts[1].pci_count = 0;
	t.parts[0].image.format = BH_IMAGE_ARM64_IMAGE;
	t.cpus[0][1] = 0x1;
	t.cpus[1][0] = 0x100; /* Aff1 = 1 */
	t.cpus[2][0] = 0x101;
	t.peers[0][1].vector = 500;
	test_log_clear();
	CHECK_EQ(tt_run(&t), 0);
	CHECK_EQ(tt_errors(), 0);

	t.cpus[2][0] = 1ULL << 24;
	TT_REJECT(&t,
		  "table: partition \"rtos2\" (id 2): cpu[0] MPIDR 0x1000000 has bits outside the "
		  "affinity fields",
		  1);
	t.cpus[2][0] = 0x101;
	t.parts[1].pio_count = 1;
	TT_REJECT(&t, "table: partition \"rtos1\" (id 1): pio[0]: arm64 has no I/O ports", 1);
	t.parts[1].pio_count = 0;
	t.irqs[1][0] = (struct bh_irq_range){ .chip = 0, .first = 2, .count = 1 };
	TT_REJECT(&t,
		  "table: partition \"rtos1\" (id 1): irqs[0] chip 0 SPIs 2-2 overlap partition "
		  "\"root\" (id 0) irqs[0] SPIs 0-2",
		  1);
}

int main(void)
{
	test_good();
	test_partitions();
	test_memory();
	test_cpus();
	test_pci();
	test_pio();
	test_pio_platform();
	test_irqs();
	test_links();
	test_images();
	test_platform();
	test_error_cap();
	test_scratch();
	test_arm64();
	return check_summary();
}
