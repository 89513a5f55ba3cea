// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for 64-bit CPU hardware ids end to end: a table CPU record
 * (bh_cpu.hw_id) -> struct partition (part_build) -> struct bh_guest_info
 * (guest_write_info) -> struct bh_partition_info (BH_HC_PARTITION_INFO).
 * An arm64 MPIDR with Aff3 set (bits 39:32) must arrive uncut everywhere.
 */
#include <stdlib.h>

#include "../table/table_test.h"
#include "bulkhead/guest.h"
#include "bulkhead/hypercall.h"
#include "core/guest_load.h"
#include "core/partitions.h"

#define MPIDR_AFF3 0x100000003ull  /* Aff3 = 1, Aff0 = 3 */
#define MPIDR_WIDE 0xff00ffffffull /* every affinity bit */
#define RAM_SIZE   0x100000ull
#define INFO_GPA   0x20000ull /* where the test asks for bh_partition_info */

static struct tt t;
static struct partition part;

/* A valid arm64 table (the shape of test_validate's), rtos1 on two MPIDRs with Aff3. */
static void arm64_table(void)
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
	t.peers[0][1].vector = 500;
	t.cpus[0][0] = 0x0;
	t.cpus[0][1] = 0x1;
	t.cpus[1][0] = MPIDR_AFF3;
	t.cpus[1][1] = MPIDR_WIDE;
	t.parts[1].cpu_count = 2;
	t.cpus[2][0] = 0x101;
	t.mem[1][0] = tt_mem(0x20000000, 0x0, RAM_SIZE, TT_RAM);
}

/* The table passes the validator: 0x100000003 is a legal arm64 hw_id. */
static void test_table(void)
{
	arm64_table();
	test_log_clear();
	CHECK_EQ(tt_run(&t), 0);
	CHECK_EQ(tt_errors(), 0);
	CHECK_EQ(table_part_cpus(&t.view, &t.view.parts[1])[0].hw_id, MPIDR_AFF3);
	CHECK_EQ(table_part_cpus(&t.view, &t.view.parts[1])[1].hw_id, MPIDR_WIDE);
}

static void test_chain(void)
{
	static const hw_id_t online[] = { 0x0, 0x1, MPIDR_AFF3, MPIDR_WIDE, 0x101 };
	struct hc_args a = { .nr = BH_HC_PARTITION_INFO, .a0 = INFO_GPA };
	struct bh_partition_info pi;
	struct bh_guest_info gi;
	uint8_t *ram;

	arm64_table();
	CHECK_EQ(tt_run(&t), 0);
	test_set_online_cpus(online, ARRAY_SIZE(online));

	/* table -> partition */
	CHECK_EQ(part_build(&part, &t.view, &t.view.parts[1]), 0);
	CHECK_STR(part.name, "rtos1");
	CHECK_EQ(part.cpu_count, 2);
	CHECK_EQ(part.hw_ids[0], MPIDR_AFF3);
	CHECK_EQ(part.hw_ids[1], MPIDR_WIDE);
	CHECK_EQ(part.cpus[0], 2);
	CHECK_EQ(part.cpus[1], 3);
	CHECK_EQ(part.region_count, 2);
	CHECK_EQ(part.regions[0].gpa, 0);
	CHECK_EQ(part.regions[0].hpa, 0x20000000);

	/* the hypervisor maps host memory 1:1; here host memory stands in for the region */
	ram = aligned_alloc(PAGE_SIZE, RAM_SIZE);
	CHECK(ram != NULL);
	if (!ram)
		return;
	memset(ram, 0xcc, RAM_SIZE);
	part.regions[0].hpa = (hpa_t)(uintptr_t)ram;

	/* partition -> guest info */
	CHECK_EQ(guest_info_gpa(&part), BH_GUEST_INFO_OFFSET);
	CHECK_EQ(guest_write_info(&part, "hwid"), 0);
	memcpy(&gi, ram + BH_GUEST_INFO_OFFSET, sizeof(gi));
	CHECK_EQ(gi.magic, BH_GUEST_MAGIC);
	CHECK_EQ(gi.version, 2);
	CHECK_EQ(gi.size, sizeof(gi));
	CHECK_EQ(gi.cpu_count, 2);
	CHECK_EQ(gi.hw_ids[0], MPIDR_AFF3);
	CHECK_EQ(gi.hw_ids[1], MPIDR_WIDE);
	CHECK_EQ(gi.hw_ids[2], 0);
	CHECK_STR(gi.name, "rtos1");
	CHECK_STR(gi.cmdline, "hwid");

	/* partition -> hypercall partition info, asked from the second vCPU */
	part.state = PART_RUNNING;
	CHECK_EQ(hypercall_dispatch(&part, 1, &a), 0);
	memcpy(&pi, ram + INFO_GPA, sizeof(pi));
	CHECK_EQ(pi.abi_version, 2);
	CHECK_EQ(pi.partition_id, 1);
	CHECK_EQ(pi.cpu_count, 2);
	CHECK_EQ(pi.hw_ids[0], MPIDR_AFF3);
	CHECK_EQ(pi.hw_ids[1], MPIDR_WIDE);
	CHECK_EQ(pi.hw_ids[2], 0);
	CHECK_EQ(pi.ram_bytes, RAM_SIZE); /* the shared region does not count */
	CHECK_EQ(ram[INFO_GPA + sizeof(pi)], 0xcc);
	free(ram);
}

/* The lookup sees all 64 bits: the id cut to 32 bits is a different CPU. */
static void test_not_cut(void)
{
	static const hw_id_t cut[] = { 0x0, 0x1, 0x3, MPIDR_WIDE, 0x101 };

	arm64_table();
	CHECK_EQ(tt_run(&t), 0);
	test_set_online_cpus(cut, ARRAY_SIZE(cut));
	test_log_clear();
	CHECK_EQ(part_build(&part, &t.view, &t.view.parts[1]), -HV_ENODEV);
	CHECK_LOG("partition \"rtos1\": CPU 0x100000003 is not online");
}

/* x86: the hw id is the APIC ID, up to the x2APIC's 0xfffffffe. */
static void test_x86(void)
{
	static const hw_id_t online[] = { 0, 1, 2, 0xfffffffeull };

	tt_good(&t);
	t.cpus[2][0] = 0xfffffffeull;
	CHECK_EQ(tt_run(&t), 0);
	test_set_online_cpus(online, ARRAY_SIZE(online));
	CHECK_EQ(part_build(&part, &t.view, &t.view.parts[2]), 0);
	CHECK_EQ(part.hw_ids[0], 0xfffffffeull);
	CHECK_EQ(part.cpus[0], 3);
	CHECK_EQ(part_build(&part, &t.view, &t.view.parts[1]), 0);
	CHECK_EQ(part.hw_ids[0], 2);
	CHECK_EQ(part.pio_count, 1);
	CHECK_EQ(part.pci_count, 1);
	CHECK_EQ(part.irq_count, 1);
}

int main(void)
{
	test_table();
	test_chain();
	test_not_cut();
	test_x86();
	return check_summary();
}
