// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the IPI filter: what an ICR write may do (arch/x86_64/vdev.c). */
#include "../check.h"
#include "vcpu/vipi.h"

/* ICR fields (Intel SDM vol. 3A 11.6.1; x2APIC: destination in bits 63:32) */
#define FIXED	 (0u << 8)
#define LOWEST	 (1u << 8)
#define SMI	 (2u << 8)
#define RESERVED (3u << 8)
#define NMI	 (4u << 8)
#define INIT	 (5u << 8)
#define SIPI	 (6u << 8)
#define EXTINT	 (7u << 8)
#define LOGICAL	 (1u << 11)
#define ASSERT	 (1u << 14)
#define LEVEL	 (1u << 15)
#define SH_SELF	 (1u << 18)
#define SH_ALL	 (2u << 18)
#define SH_OTHER (3u << 18)

static uint64_t icr(uint32_t dest, uint32_t low)
{
	return ((uint64_t)dest << 32) | low;
}

static struct vdev_part part;
static struct vipi d;

/* A Linux root of four CPUs, APIC IDs 4-7; the one with ID 7 never came up. */
static void setup(bool linux_root)
{
	memset(&part, 0, sizeof(part));
	part.count = 4;
	part.linux_root = linux_root;
	for (unsigned i = 0; i < 4; i++) {
		part.cpu[i].present = i != 3;
		part.cpu[i].apic_id = 4 + i;
		part.cpu[i].ldr = (1u << i) << 24;
		part.cpu[i].dfr = 0xffffffff;
	}
}

static void refused(uint32_t self, bool x2apic, uint64_t v, const char *why)
{
	d.targets = 0xdead;
	CHECK(!vipi_decide(&part, self, x2apic, v, &d));
	CHECK_EQ(d.kind, VIPI_REFUSED);
	CHECK_STR(d.why, why);
	CHECK_EQ(d.targets, 0);
}

static void allowed(uint32_t self, bool x2apic, uint64_t v, enum vipi_kind kind, uint32_t targets)
{
	CHECK(vipi_decide(&part, self, x2apic, v, &d));
	CHECK_EQ(d.kind, kind);
	CHECK_EQ(d.targets, targets);
	CHECK(d.why == NULL);
}

static void test_refusals(void)
{
	setup(true);
	refused(0, true, icr(5, SMI), "IPI delivery mode (SMI, ExtINT or reserved)");
	refused(0, true, icr(5, RESERVED), "IPI delivery mode (SMI, ExtINT or reserved)");
	refused(0, false, icr(5, EXTINT | SH_SELF), "IPI delivery mode (SMI, ExtINT or reserved)");
	refused(0, true, icr(0, INIT | ASSERT | SH_OTHER),
		"INIT/SIPI with a destination shorthand");
	refused(0, true, icr(0, SIPI | SH_ALL | 0x9a), "INIT/SIPI with a destination shorthand");
	refused(0, false, icr(0, INIT | SH_SELF), "INIT/SIPI with a destination shorthand");
	refused(0, true, icr(0x10002, FIXED | LOGICAL | 0x40), "logical-destination IPI");
	refused(0, false, icr(2, INIT | LOGICAL | ASSERT), "logical-destination IPI");
	refused(0, false, icr(2, SIPI | LOGICAL | 0x9a), "logical-destination IPI");
	refused(0, true, icr(0, INIT | ASSERT), "INIT to a CPU outside the partition");
	refused(0, true, icr(8, SIPI | 0x9a), "SIPI to a CPU outside the partition");
	refused(0, true, icr(3, NMI), "NMI to a CPU outside the partition");
	refused(0, true, icr(0, FIXED | 0x40), "IPI to a CPU outside the partition");
	refused(0, true, icr(0x104, LOWEST | 0x40), "IPI to a CPU outside the partition");
	/* broadcast by destination (xAPIC 0xff, x2APIC 0xffffffff) is outside too */
	refused(0, false, icr(0xff, FIXED | 0x40), "IPI to a CPU outside the partition");
	refused(0, true, icr(0xffffffff, FIXED | 0x40), "IPI to a CPU outside the partition");
	/* INIT/SIPI to the partition's own CPUs: a Linux root's APs only, never itself */
	refused(1, true, icr(5, INIT | ASSERT),
		"INIT/SIPI to a partition CPU (only a Linux root's APs start so)");
	refused(1, true, icr(5, SIPI | 0x9a),
		"INIT/SIPI to a partition CPU (only a Linux root's APs start so)");
	setup(false);
	refused(0, true, icr(5, INIT | ASSERT),
		"INIT/SIPI to a partition CPU (only a Linux root's APs start so)");
	refused(0, true, icr(5, SIPI | 0x9a),
		"INIT/SIPI to a partition CPU (only a Linux root's APs start so)");
	/* a sender that is not one of the partition's vCPUs */
	refused(4, true, icr(5, FIXED | 0x40), "IPI from a CPU outside the partition");
	part.count = 40; /* more than PART_CPUS_MAX: only PART_CPUS_MAX are looked at */
	refused(PART_CPUS_MAX, true, icr(5, FIXED | 0x40), "IPI from a CPU outside the partition");
}

static void test_physical(void)
{
	setup(true);
	allowed(0, true, icr(5, FIXED | 0x40), VIPI_PHYS, 1u << 1);
	CHECK_EQ(d.low, 0x40);
	allowed(0, false, icr(4, FIXED | 0x41), VIPI_PHYS, 1u << 0); /* to itself */
	allowed(1, true, icr(6, LOWEST | 0x42 | LEVEL | ASSERT), VIPI_PHYS, 1u << 2);
	CHECK_EQ(d.low, LOWEST | 0x42 | LEVEL | ASSERT);
	/* reserved bits and the read-only delivery status never reach the hardware ICR */
	allowed(0, true, icr(5, FIXED | 0x40 | 0xfff03000u), VIPI_PHYS, 1u << 1);
	CHECK_EQ(d.low, 0x40);
	allowed(0, true, icr(5, FIXED | 0x40 | (1u << 13) | (1u << 16) | (1u << 17)), VIPI_PHYS,
		1u << 1);
	CHECK_EQ(d.low, 0x40);
	/* a CPU of the partition that never came up: allowed, delivered to nobody */
	allowed(0, true, icr(7, FIXED | 0x40), VIPI_PHYS, 0);
	allowed(0, true, icr(6, NMI), VIPI_NMI, 1u << 2);
	allowed(2, true, icr(6, NMI), VIPI_NMI, 1u << 2); /* NMI to itself: injected */
}

static void test_shorthands(void)
{
	setup(true);
	allowed(1, true, icr(0x99, FIXED | SH_SELF | 0x50), VIPI_PHYS, 1u << 1);
	CHECK_EQ(d.low, 0x50); /* shorthand cleared: sent physically to each target */
	allowed(1, true, icr(0, FIXED | SH_ALL | 0x50), VIPI_PHYS, 0x7);
	allowed(1, true, icr(0, FIXED | SH_OTHER | 0x50), VIPI_PHYS, 0x5);
	allowed(0, false, icr(0, NMI | SH_OTHER), VIPI_NMI, 0x6);
	allowed(0, true, icr(0, NMI | SH_SELF), VIPI_NMI, 0x1);
	/* a shorthand wins over the logical bit, even in x2APIC mode */
	allowed(2, true, icr(0, FIXED | LOGICAL | SH_ALL | 0x51), VIPI_PHYS, 0x7);
	CHECK_EQ(d.low, 0x51);
	/* lowest priority, logical bit with a shorthand: one CPU */
	allowed(2, false, icr(0, LOWEST | LOGICAL | SH_OTHER | 0x52), VIPI_PHYS, 0x1);
	/* a single-CPU partition: all-but-self reaches nobody */
	part.count = 1;
	allowed(0, true, icr(0, FIXED | SH_OTHER | 0x50), VIPI_PHYS, 0);
}

static void test_logical(void)
{
	setup(true);
	/* flat model: LDR bits 0, 1, 2 */
	allowed(0, false, icr(0x06, FIXED | LOGICAL | 0x60), VIPI_PHYS, 0x6);
	CHECK_EQ(d.low, 0x60); /* the logical bit cleared: sent physically */
	allowed(0, false, icr(0xff, FIXED | LOGICAL | 0x60), VIPI_PHYS, 0x7);
	allowed(0, false, icr(0x08, FIXED | LOGICAL | 0x60), VIPI_PHYS, 0); /* absent CPU 3 */
	allowed(0, false, icr(0x00, FIXED | LOGICAL | 0x60), VIPI_PHYS, 0);
	/* only the low 8 bits of the destination count in xAPIC mode */
	allowed(0, false, icr(0xff02, FIXED | LOGICAL | 0x60), VIPI_PHYS, 0x2);
	allowed(0, false, icr(0x07, NMI | LOGICAL), VIPI_NMI, 0x7);
	/* lowest priority picks one */
	allowed(0, false, icr(0x06, LOWEST | LOGICAL | 0x61), VIPI_PHYS, 0x2);
	allowed(0, false, icr(0xff, LOWEST | LOGICAL | 0x61), VIPI_PHYS, 0x1);
	allowed(0, false, icr(0x00, LOWEST | LOGICAL | 0x61), VIPI_PHYS, 0);
	/* cluster model (DFR 0x0fffffff): cluster in bits 7:4, members in 3:0 */
	for (unsigned i = 0; i < 4; i++)
		part.cpu[i].dfr = 0x0fffffff;
	part.cpu[0].ldr = 0x11000000;
	part.cpu[1].ldr = 0x12000000;
	part.cpu[2].ldr = 0x21000000;
	allowed(0, false, icr(0x13, FIXED | LOGICAL | 0x62), VIPI_PHYS, 0x3);
	allowed(0, false, icr(0x21, FIXED | LOGICAL | 0x62), VIPI_PHYS, 0x4);
	allowed(0, false, icr(0x31, FIXED | LOGICAL | 0x62), VIPI_PHYS, 0);
	allowed(0, false, icr(0x14, FIXED | LOGICAL | 0x62), VIPI_PHYS, 0);
	/* the reset LDR (0) matches nothing */
	part.cpu[0].ldr = 0;
	part.cpu[0].dfr = 0xffffffff;
	allowed(0, false, icr(0xff, FIXED | LOGICAL | 0x62), VIPI_PHYS, 0);
	CHECK(vdev_xapic_logical_match(0x80000000, 0xffffffff, 0x80));
	CHECK(!vdev_xapic_logical_match(0x80000000, 0xffffffff, 0x7f));
	CHECK(vdev_xapic_logical_match(0xf8000000, 0x0fffffff, 0xff));
	CHECK(!vdev_xapic_logical_match(0xf8000000, 0x0fffffff, 0xe8));
}

static void test_init_sipi(void)
{
	setup(true);
	allowed(0, true, icr(5, INIT | ASSERT | LEVEL), VIPI_INIT, 1u << 1);
	allowed(0, false, icr(6, INIT | LEVEL), VIPI_INIT_DEASSERT, 1u << 2);
	allowed(0, true, icr(5, SIPI | 0x9a), VIPI_SIPI, 1u << 1);
	CHECK_EQ(d.vector, 0x9a);
	allowed(1, true, icr(4, SIPI | 0x10), VIPI_SIPI, 1u << 0); /* an AP may start another */
	CHECK_EQ(d.vector, 0x10);
	/* to the CPU that never came up: allowed, and nobody answers */
	allowed(0, true, icr(7, INIT | ASSERT), VIPI_INIT, 0);
	allowed(0, true, icr(7, SIPI | 0x9a), VIPI_SIPI, 0);
}

int main(void)
{
	test_refusals();
	test_physical();
	test_shorthands();
	test_logical();
	test_init_sipi();
	return check_summary();
}
