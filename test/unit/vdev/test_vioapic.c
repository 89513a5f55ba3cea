// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for the Linux root's view of an IOAPIC (arch/x86_64/vdev.c). */
#include "../check.h"
#include "root/vdev.h"

#define MASKED	  0x10000u
#define LOGICAL	  0x800u
#define RO_BITS	  0x5000u /* delivery status, remote IRR */
#define MODE(m)	  ((uint32_t)(m) << 8)
#define REG_LO(p) (0x10 + 2 * (p))
#define REG_HI(p) (0x11 + 2 * (p))
#define COM1_PIN  4
#define FOREIGN	  3 /* a pin of another partition */

static struct vdev_part part;
static uint32_t hw_regs[256];
static unsigned hw_reads;

static bool owned(const void *ctx, uint32_t pin)
{
	(void)ctx;
	return pin != FOREIGN;
}

static uint32_t hw_read(const void *ctx, uint32_t reg)
{
	(void)ctx;
	hw_reads++;
	return reg < 256 ? hw_regs[reg] : 0;
}

static const struct vioapic_env env = {
	.part = &part,
	.owned = owned,
	.hw_read = hw_read,
	.pins = 24,
	.virt_pin = COM1_PIN,
};

/* The root: two CPUs, APIC IDs 0 and 1 (2 exists in the table but never came up). */
static void setup_part(void)
{
	memset(&part, 0, sizeof(part));
	part.count = 3;
	part.linux_root = true;
	for (unsigned i = 0; i < 3; i++) {
		part.cpu[i].present = i < 2;
		part.cpu[i].apic_id = i;
		part.cpu[i].dfr = 0xffffffff;
	}
	part.cpu[0].ldr = 0x01000000;
	part.cpu[1].ldr = 0x02000000;
	part.cpu[2].ldr = 0x04000000;
}

static struct vioapic_result res;

static uint32_t acc(struct vioapic_state *s, uint64_t off, bool write, uint32_t val)
{
	vioapic_access(s, &env, off, 4, write, val, &res);
	return res.val;
}

static uint32_t rd_reg(struct vioapic_state *s, uint32_t reg)
{
	acc(s, VIOAPIC_REGSEL, true, reg);
	return acc(s, VIOAPIC_WIN, false, 0);
}

static void wr_reg(struct vioapic_state *s, uint32_t reg, uint32_t val)
{
	acc(s, VIOAPIC_REGSEL, true, reg);
	acc(s, VIOAPIC_WIN, true, val);
}

/* The low then the high half of pin's entry; res holds the second write's result. */
static void wr_rte(struct vioapic_state *s, uint32_t pin, uint32_t lo, uint32_t hi)
{
	wr_reg(s, REG_LO(pin), lo);
	wr_reg(s, REG_HI(pin), hi);
}

static void test_index_and_id(void)
{
	struct vioapic_state s;

	vioapic_state_init(&s);
	hw_regs[0] = 0x02000000;
	hw_regs[1] = 0x00170020;
	CHECK_EQ(acc(&s, VIOAPIC_REGSEL, false, 0), 0);
	acc(&s, VIOAPIC_REGSEL, true, 0x1ff); /* the index register is 8 bits */
	CHECK_EQ(acc(&s, VIOAPIC_REGSEL, false, 0), 0xff);
	CHECK_EQ(rd_reg(&s, 0), 0x02000000);
	CHECK_EQ(rd_reg(&s, 1), 0x00170020);
	/* ID, version, arbitration are the platform's: writes change nothing */
	wr_reg(&s, 0, 0x0f000000);
	CHECK_EQ(res.n_writes, 0);
	CHECK_EQ(rd_reg(&s, 0), 0x02000000);
	/* untouched entries read as masked, with the hardware's RO bits */
	hw_regs[REG_LO(5)] = 0x12345 | RO_BITS;
	CHECK_EQ(rd_reg(&s, REG_LO(5)), MASKED | (RO_BITS & (0x12345 | RO_BITS)));
	CHECK_EQ(rd_reg(&s, REG_HI(5)), 0);
	hw_regs[REG_LO(5)] = 0;
	/* other offsets of the page read 0; the EOI register is passed on */
	CHECK_EQ(acc(&s, 0x20, false, 0), 0);
	acc(&s, 0x20, true, 0x55);
	CHECK_EQ(res.n_writes + res.eoi, 0);
	/* an EOI for a vector none of the root's pins has is not passed on */
	acc(&s, VIOAPIC_EOI, true, 0x77);
	CHECK(!res.eoi);
	CHECK_EQ(acc(&s, VIOAPIC_EOI, false, 0), 0);
	CHECK(!res.eoi);
	CHECK_EQ(acc(&s, 0xffc, false, 0), 0);
}

static void test_owned_physical(void)
{
	struct vioapic_state s;

	vioapic_state_init(&s);
	test_log_clear();
	wr_reg(&s, REG_LO(9), MODE(0) | 0x31 | RO_BITS); /* unmasked, destination 0 */
	/* the low half alone: written masked first, then the high half, then unmasked */
	CHECK_EQ(res.n_writes, 3);
	CHECK_EQ(res.hw[0].reg, REG_LO(9));
	CHECK_EQ(res.hw[0].val, 0x31 | MASKED);
	CHECK_EQ(res.hw[1].reg, REG_HI(9));
	CHECK_EQ(res.hw[1].val, 0);
	CHECK_EQ(res.hw[2].reg, REG_LO(9));
	CHECK_EQ(res.hw[2].val, 0x31); /* the RO bits the root wrote are not kept */
	CHECK_STR(res.warn, "");
	wr_reg(&s, REG_HI(9), 0x01000000); /* to APIC ID 1 */
	CHECK_EQ(res.n_writes, 3);
	CHECK_EQ(res.hw[1].val, 0x01000000);
	CHECK_EQ(res.hw[2].val, 0x31);
	CHECK_EQ(rd_reg(&s, REG_HI(9)), 0x01000000);
	hw_regs[REG_LO(9)] = 0x31 | (1u << 14);
	CHECK_EQ(rd_reg(&s, REG_LO(9)), 0x31 | (1u << 14)); /* remote IRR from the hardware */
	hw_regs[REG_LO(9)] = 0;
	/* lowest priority is allowed; NMI is not (the hypervisor's own signal) */
	wr_reg(&s, REG_LO(9), MODE(1) | 0x40);
	CHECK_EQ(res.hw[2].val, MODE(1) | 0x40);
	wr_reg(&s, REG_LO(9), MODE(4));
	CHECK_EQ(res.n_writes, 2);
	CHECK_EQ(res.hw[0].val, MODE(4) | MASKED);
	CHECK(strstr(res.warn, "delivery mode not allowed") != NULL);
	/* the EOI of an owned pin's vector goes to the hardware */
	wr_reg(&s, REG_LO(9), 0x31);
	acc(&s, VIOAPIC_EOI, true, 0x31);
	CHECK(res.eoi);
	CHECK_EQ(res.val, 0x31);
	/* a masked write: masked on the hardware, no third write, no warning */
	wr_reg(&s, REG_LO(9), MASKED | 0x31);
	CHECK_EQ(res.n_writes, 2);
	CHECK_EQ(res.hw[0].val, MASKED | 0x31);
	CHECK_STR(res.warn, "");
}

static void test_owned_logical(void)
{
	struct vioapic_state s;

	vioapic_state_init(&s);
	/* flat model: bit 1 is CPU 1 (LDR 0x02) */
	wr_rte(&s, 10, MASKED | LOGICAL | 0x41, 0x02000000);
	wr_reg(&s, REG_LO(10), LOGICAL | 0x41);
	CHECK_EQ(res.n_writes, 3);
	CHECK_EQ(res.hw[0].val, MASKED | 0x41); /* physical mode on the hardware */
	CHECK_EQ(res.hw[1].val, 0x01000000);
	CHECK_EQ(res.hw[2].val, 0x41);
	CHECK_EQ(rd_reg(&s, REG_LO(10)), LOGICAL | 0x41); /* the root reads back its own value */
	/* flat model, several bits: the first CPU that matches */
	wr_reg(&s, REG_HI(10), 0x03000000);
	CHECK_EQ(res.hw[1].val, 0);
	/* a logical destination that only an absent CPU has: masked */
	wr_reg(&s, REG_HI(10), 0x04000000);
	CHECK_EQ(res.n_writes, 2);
	CHECK_EQ(res.hw[0].val, MASKED | 0x41);
	CHECK_STR(
		res.warn,
		"pin 10 entry 0x0400000000000841: destination is not one of the partition's CPUs; "
		"masked");
	/* cluster model: cluster 1, member bit 2 -> CPU 1 */
	part.cpu[0].dfr = part.cpu[1].dfr = 0x0fffffff;
	part.cpu[0].ldr = 0x11000000;
	part.cpu[1].ldr = 0x12000000;
	wr_reg(&s, REG_HI(10), 0x12000000);
	CHECK_EQ(res.n_writes, 3);
	CHECK_EQ(res.hw[1].val, 0x01000000);
	/* cluster 2 has none of them; cluster 1 member 8 neither */
	wr_reg(&s, REG_HI(10), 0x22000000);
	CHECK_EQ(res.n_writes, 2);
	CHECK(strstr(res.warn, "destination is not one of the partition's CPUs") != NULL);
	wr_reg(&s, REG_HI(10), 0x18000000);
	CHECK_EQ(res.n_writes, 2);
	setup_part();
}

static void test_bad_entries(void)
{
	struct vioapic_state s;
	static const struct {
		unsigned mode;
		const char *name;
	} bad[] = {
		{ 2, "SMI" }, { 3, "reserved" }, { 5, "INIT" }, { 6, "reserved 6" }, { 7, "ExtINT" }
	};

	vioapic_state_init(&s);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char want[VIOAPIC_WARN_LEN];

		wr_reg(&s, REG_LO(11), MODE(bad[i].mode) | 0x50);
		snprintf(want, sizeof(want),
			 "pin 11 entry 0x00000000%08x: delivery mode not allowed; masked",
			 MODE(bad[i].mode) | 0x50);
		CHECK_STR(res.warn, want);
		CHECK_EQ(res.n_writes, 2);
		CHECK_EQ(res.hw[0].val, MODE(bad[i].mode) | 0x50 | MASKED);
	}
	/* physical destination that is no CPU of the partition */
	wr_rte(&s, 12, MASKED | 0x51, 0x07000000);
	CHECK_EQ(res.n_writes, 2);
	CHECK_STR(res.warn, "");
	wr_reg(&s, REG_LO(12), 0x51);
	CHECK_EQ(res.n_writes, 2);
	CHECK_EQ(res.hw[1].val, 0);
	CHECK_STR(
		res.warn,
		"pin 12 entry 0x0700000000000051: destination is not one of the partition's CPUs; "
		"masked");
	/* the CPU of the table that never came up (APIC ID 2) is no destination either */
	wr_reg(&s, REG_HI(12), 0x02000000);
	CHECK_EQ(res.n_writes, 2);
	/* a CPU whose APIC ID does not fit the entry's 8 bits, named logically */
	part.cpu[1].apic_id = 0x100;
	wr_reg(&s, REG_LO(12), LOGICAL | 0x51);
	wr_reg(&s, REG_HI(12), 0x02000000);
	CHECK_EQ(res.n_writes, 2);
	CHECK(strstr(res.warn, "does not fit the entry's 8 bits") != NULL);
	setup_part();
}

static void test_foreign_pin(void)
{
	struct vioapic_state s;

	vioapic_state_init(&s);
	hw_regs[REG_LO(FOREIGN)] = 0x29;
	hw_regs[REG_HI(FOREIGN)] = 0x03000000;
	CHECK_EQ(rd_reg(&s, REG_LO(FOREIGN)), MASKED); /* its real value stays hidden */
	CHECK_EQ(rd_reg(&s, REG_HI(FOREIGN)), 0);
	wr_reg(&s, REG_LO(FOREIGN), 0x31);
	CHECK_EQ(res.n_writes, 0);
	CHECK_STR(res.warn, "pin 3 is not its own; redirection entry write 0x31 dropped");
	wr_reg(&s, REG_LO(FOREIGN), 0x32); /* reported once per pin */
	CHECK_EQ(res.n_writes, 0);
	CHECK_STR(res.warn, "");
	CHECK_EQ(rd_reg(&s, REG_LO(FOREIGN)), MASKED);
	/* masked writes and high halves are silent */
	vioapic_state_init(&s);
	wr_reg(&s, REG_LO(FOREIGN), MASKED | 0x31);
	CHECK_EQ(res.n_writes, 0);
	CHECK_STR(res.warn, "");
	wr_reg(&s, REG_HI(FOREIGN), 0x00000000);
	CHECK_EQ(res.n_writes, 0);
	CHECK_STR(res.warn, "");
	wr_reg(&s, REG_LO(FOREIGN), 0x31);
	CHECK_STR(res.warn, "pin 3 is not its own; redirection entry write 0x31 dropped");
}

static void test_virtual_pin(void)
{
	struct vioapic_state s;
	uint8_t vec = 0;

	vioapic_state_init(&s);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), -1); /* masked at reset */
	hw_reads = 0;
	CHECK_EQ(rd_reg(&s, REG_LO(COM1_PIN)), MASKED);
	CHECK_EQ(hw_reads, 0);
	wr_reg(&s, REG_HI(COM1_PIN), 0x01000000);
	CHECK_EQ(res.n_writes, 0);
	CHECK(!res.virt_unmasked);
	wr_reg(&s, REG_LO(COM1_PIN), 0x24 | RO_BITS);
	CHECK_EQ(res.n_writes, 0); /* never the hardware */
	CHECK(res.virt_unmasked);
	CHECK_EQ(rd_reg(&s, REG_LO(COM1_PIN)), 0x24);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), 1);
	CHECK_EQ(vec, 0x24);
	/* logical destination, lowest priority */
	wr_reg(&s, REG_LO(COM1_PIN), MODE(1) | LOGICAL | 0x25);
	wr_reg(&s, REG_HI(COM1_PIN), 0x01000000);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), 0);
	CHECK_EQ(vec, 0x25);
	/* no interrupt: masked, NMI/SMI modes, an exception vector, no such CPU */
	wr_reg(&s, REG_LO(COM1_PIN), MASKED | 0x24);
	CHECK(!res.virt_unmasked);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), -1);
	wr_reg(&s, REG_LO(COM1_PIN), MODE(4) | 0x24);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), -1);
	wr_reg(&s, REG_LO(COM1_PIN), MODE(2) | 0x24);
	CHECK_EQ(res.n_writes, 0);
	CHECK_STR(res.warn, "");
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), -1);
	wr_reg(&s, REG_LO(COM1_PIN), 0x1f);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), -1);
	wr_reg(&s, REG_LO(COM1_PIN), 0x24);
	wr_reg(&s, REG_HI(COM1_PIN), 0x09000000);
	CHECK_EQ(vioapic_virt_target(&s, &env, &vec), -1);
	/* an IOAPIC without the virtual pin */
	{
		struct vioapic_env e2 = env;

		e2.virt_pin = -1;
		CHECK_EQ(vioapic_virt_target(&s, &e2, &vec), -1);
		vioapic_access(&s, &e2, VIOAPIC_WIN, 4, true, 0x24, &res);
		CHECK(!res.virt_unmasked);
		CHECK_EQ(res.n_writes, 3); /* now an ordinary owned pin */
	}
}

static void test_bad_accesses(void)
{
	struct vioapic_state s;

	vioapic_state_init(&s);
	acc(&s, VIOAPIC_REGSEL, true, REG_LO(9));
	/* odd sizes and misaligned offsets: all-ones, writes dropped */
	static const struct {
		uint64_t off;
		unsigned size;
	} bad[] = { { VIOAPIC_WIN, 1 },
		    { VIOAPIC_WIN, 2 },
		    { VIOAPIC_WIN, 8 },
		    { VIOAPIC_WIN + 1, 4 },
		    { VIOAPIC_REGSEL + 2, 4 },
		    { VIOAPIC_WIN, 0 },
		    { 0xfff, 4 } };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		vioapic_access(&s, &env, bad[i].off, bad[i].size, false, 0, &res);
		CHECK_EQ(res.val, 0xffffffff);
		vioapic_access(&s, &env, bad[i].off, bad[i].size, true, 0x31, &res);
		CHECK_EQ(res.n_writes, 0);
		CHECK(!res.eoi);
		CHECK_STR(res.warn, "");
	}
	CHECK_EQ(acc(&s, VIOAPIC_REGSEL, false, 0), REG_LO(9));
	CHECK_EQ(s.rte[9][0], MASKED);
	/* an index past the hardware's 24 entries: nothing there, nothing written */
	wr_reg(&s, REG_LO(24), 0x31);
	CHECK_EQ(res.n_writes, 0);
	CHECK_EQ(rd_reg(&s, REG_LO(24)), 0);
	wr_reg(&s, 0xff, 0x31); /* the last index: high half of entry 119 */
	CHECK_EQ(res.n_writes, 0);
	CHECK_EQ(rd_reg(&s, 0xff), 0);
	/* pins = 0 or beyond the model: every index that fits 8 bits is an entry */
	{
		struct vioapic_env e2 = env;

		e2.pins = 1000;
		acc(&s, VIOAPIC_REGSEL, true, 0xfe);
		vioapic_access(&s, &e2, VIOAPIC_WIN, 4, true, 0x31, &res);
		CHECK_EQ(res.n_writes, 3);
		CHECK_EQ(res.hw[2].reg, 0xfe);
		CHECK_EQ(s.rte[119][0], 0x31);
	}
	/* no hardware-read callback: RO bits read as 0 */
	{
		struct vioapic_env e2 = env;

		e2.hw_read = NULL;
		e2.owned = NULL; /* every pin the root's, FOREIGN included */
		acc(&s, VIOAPIC_REGSEL, true, REG_LO(FOREIGN));
		vioapic_access(&s, &e2, VIOAPIC_WIN, 4, true, 0x33, &res);
		CHECK_EQ(res.n_writes, 3);
		vioapic_access(&s, &e2, VIOAPIC_WIN, 4, false, 0, &res);
		CHECK_EQ(res.val, 0x33);
	}
}

static void test_reset(void)
{
	struct vioapic_state s;
	uint8_t mask[VIOAPIC_PINS / 8];

	vioapic_state_init(&s);
	wr_rte(&s, 9, 0x31, 0);
	wr_rte(&s, 10, MASKED | 0x32, 0x01000000); /* masked but changed */
	wr_rte(&s, COM1_PIN, 0x24, 0);
	wr_reg(&s, REG_LO(FOREIGN), 0x31);
	acc(&s, VIOAPIC_REGSEL, true, 0x20);
	vioapic_reset(&s, &env, mask);
	CHECK_EQ(mask[9 / 8], (1u << (9 % 8)) | (1u << (10 % 8)));
	CHECK_EQ(mask[0], 0); /* neither the virtual pin nor the foreign one */
	for (unsigned i = 2; i < sizeof(mask); i++)
		CHECK_EQ(mask[i], 0);
	CHECK_EQ(acc(&s, VIOAPIC_REGSEL, false, 0), 0);
	CHECK_EQ(rd_reg(&s, REG_LO(9)), MASKED);
	CHECK_EQ(rd_reg(&s, REG_HI(10)), 0);
	CHECK_EQ(rd_reg(&s, REG_LO(COM1_PIN)), MASKED);
	/* nothing changed since: nothing to mask */
	vioapic_reset(&s, &env, mask);
	for (unsigned i = 0; i < sizeof(mask); i++)
		CHECK_EQ(mask[i], 0);
}

int main(void)
{
	setup_part();
	test_index_and_id();
	test_owned_physical();
	test_owned_logical();
	test_bad_entries();
	test_foreign_pin();
	test_virtual_pin();
	test_bad_accesses();
	test_reset();
	return check_summary();
}
