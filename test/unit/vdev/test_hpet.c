// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the root's HPET write check (arch/x86_64/root/hpet.c):
 * what Linux writes passes; a timer aimed at another partition's IOAPIC
 * input, FSB (MSI) delivery, the FSB route, the legacy route onto pins the
 * root lacks, and odd-sized or misplaced writes are refused.
 */
#include "../check.h"
#include "root/hpet.h"

static uint32_t regs[0x400 / 4];
static uint32_t owned_mask;

static bool owned(const void *ctx, uint32_t gsi)
{
	(void)ctx;
	return gsi < 32 && (owned_mask & (1u << gsi));
}

static uint32_t hw_read(const void *ctx, uint32_t off)
{
	(void)ctx;
	return off < sizeof(regs) ? regs[off / 4] : 0xffffffffu;
}

static const struct hpet_env env = { .timers = 3, .owned = owned, .hw_read = hw_read };

static bool wr(uint32_t off, unsigned size, uint64_t val, char *why)
{
	char buf[96];

	return hpet_write_allowed(&env, off, size, val, why ? why : buf, 96);
}

#define CONF(n)	 (HPET_TIMER(n) + HPET_TN_CONF)
#define ROUTE(g) ((uint32_t)(g) << HPET_TN_ROUTE_SHIFT)

static void test_linux(void)
{
	/* the demo's root: pins 0-2 and 5-23 */
	owned_mask = 0x00ffffe7;
	memset(regs, 0, sizeof(regs));
	/* Linux's hpet_enable: halt, clear the counter, legacy replacement on, periodic timer 0 */
	CHECK(wr(HPET_GEN_CONF, 4, 0, NULL));
	CHECK(wr(HPET_MAIN_CNT, 4, 0, NULL));
	CHECK(wr(HPET_MAIN_CNT + 4, 4, 0, NULL));
	CHECK(wr(HPET_GEN_CONF, 4, HPET_CONF_ENABLE | HPET_CONF_LEGACY, NULL));
	regs[HPET_GEN_CONF / 4] = HPET_CONF_ENABLE | HPET_CONF_LEGACY;
	CHECK(wr(CONF(0), 4, HPET_TN_INT_ENB | (1u << 3) | (1u << 6), NULL));
	CHECK(wr(HPET_TIMER(0) + HPET_TN_CMP, 4, 0x12345, NULL));
	CHECK(wr(HPET_TIMER(0) + HPET_TN_CMP, 8, 0x12345, NULL));
	CHECK(wr(HPET_GINTR_STA, 4, 1, NULL));
	CHECK(wr(HPET_GCAP, 4, 0, NULL)); /* read-only: harmless */
	/* in legacy mode timer 0's own route does not count (IRQ0, GSI 2 does) */
	CHECK(wr(CONF(0), 4, HPET_TN_INT_ENB | ROUTE(3), NULL));
	/* timer 2 on its own route: one of the root's (20), an 8-byte write too */
	CHECK(wr(CONF(2), 4, HPET_TN_INT_ENB | ROUTE(20), NULL));
	CHECK(wr(CONF(2), 8, HPET_TN_INT_ENB | ROUTE(20) | 0x00f0000000000000ULL, NULL));
}

static void test_refused(void)
{
	char why[96];

	owned_mask = 0x00ffffe7;
	memset(regs, 0, sizeof(regs));
	/* rtos1's COM2 input 3 */
	CHECK(!wr(CONF(2), 4, HPET_TN_INT_ENB | ROUTE(3), why));
	CHECK_STR(why, "timer 2 would interrupt through IOAPIC input 3, not the root's");
	/* the route alone, interrupts off: nothing is delivered, it may be set */
	CHECK(wr(CONF(2), 4, ROUTE(3), NULL));
	/* FSB delivery, with or without the enable; the FSB route register */
	CHECK(!wr(CONF(2), 4, HPET_TN_FSB_EN, why));
	CHECK_STR(why, "timer 2 FSB (MSI) delivery is never the root's");
	CHECK(!wr(CONF(1), 4, HPET_TN_FSB_EN | HPET_TN_INT_ENB | ROUTE(20), NULL));
	CHECK(!wr(HPET_TIMER(2) + HPET_TN_FSB, 4, 0xfee02000, why));
	CHECK_STR(why, "timer 2 FSB route (MSI address and data)");
	CHECK(!wr(HPET_TIMER(2) + HPET_TN_FSB + 4, 4, 0xfee02000, NULL));
	CHECK(!wr(HPET_TIMER(0) + HPET_TN_FSB, 8, 0xfee0200000000031ULL, NULL));
	/* a byte or word of a configuration register, misaligned, beyond the timers */
	CHECK(!wr(CONF(2), 1, HPET_TN_INT_ENB, why));
	CHECK_STR(why, "a 1-byte write at 0x140 of timer 2's configuration");
	CHECK(!wr(CONF(2) + 1, 1, 0x06, NULL)); /* the route bits by byte */
	CHECK(!wr(CONF(2) + 4, 4, 0, NULL));	/* the capabilities half */
	CHECK(!wr(HPET_GEN_CONF, 2, 3, NULL));
	CHECK(!wr(HPET_GEN_CONF + 4, 4, 0, NULL));
	CHECK(!wr(CONF(2) + 2, 4, 0, why));
	CHECK_STR(why, "a 4-byte write at 0x142 is not aligned");
	CHECK(!wr(CONF(2), 3, 0, NULL));
	CHECK(!wr(HPET_TIMER(3), 4, 0, why));
	CHECK_STR(why, "0x160 is past the HPET's 3 timers");
	CHECK(!wr(0x800, 4, 0, NULL));
	/* legacy replacement onto inputs the root lacks */
	owned_mask = 0x00ffffe3; /* not 2 */
	CHECK(!wr(HPET_GEN_CONF, 4, HPET_CONF_ENABLE | HPET_CONF_LEGACY, why));
	CHECK_STR(why, "timer 0 would interrupt through IOAPIC input 2, not the root's");
	owned_mask = 0x00fffee7; /* not 8 */
	CHECK(!wr(HPET_GEN_CONF, 8, HPET_CONF_LEGACY, why));
	CHECK_STR(why, "timer 1 would interrupt through IOAPIC input 8, not the root's");
	/* in legacy mode, timer 0/1 writes need their legacy input */
	regs[HPET_GEN_CONF / 4] = HPET_CONF_LEGACY;
	CHECK(!wr(CONF(1), 4, ROUTE(20), why));
	CHECK_STR(why, "timer 1 would interrupt through IOAPIC input 8, not the root's");
	/* legacy replacement off while timer 0 is enabled on a foreign route: refused */
	owned_mask = 0x00ffffe7;
	regs[CONF(0) / 4] = HPET_TN_INT_ENB | ROUTE(3);
	CHECK(!wr(HPET_GEN_CONF, 4, HPET_CONF_ENABLE, why));
	CHECK_STR(why, "timer 0 would interrupt through IOAPIC input 3, not the root's");
	regs[CONF(0) / 4] = HPET_TN_INT_ENB | ROUTE(21);
	CHECK(wr(HPET_GEN_CONF, 4, HPET_CONF_ENABLE, NULL));
	/* firmware left FSB on in timer 1: the general configuration cannot be changed over it */
	regs[CONF(1) / 4] = HPET_TN_FSB_EN;
	CHECK(!wr(HPET_GEN_CONF, 4, HPET_CONF_ENABLE, NULL));
	regs[CONF(1) / 4] = 0;
	/* no ownership callback (a table without IRQCHIPS): every input is the root's */
	{
		struct hpet_env all = env;

		all.owned = NULL;
		CHECK(hpet_write_allowed(&all, CONF(2), 4, HPET_TN_INT_ENB | ROUTE(3), why, 96));
		CHECK(!hpet_write_allowed(&all, CONF(2), 4, HPET_TN_FSB_EN, why, 96));
	}
}

/* Every offset and size: the decision never depends on anything but the rules */
static void test_sweep(void)
{
	unsigned allowed = 0;

	owned_mask = 0xffffffffu;
	memset(regs, 0, sizeof(regs));
	for (uint32_t off = 0; off < 0x1000; off++)
		for (unsigned size = 1; size <= 8; size *= 2) {
			bool ok = wr(off, size, 0, NULL);

			if (ok) {
				allowed++;
				CHECK(off % size == 0);
				CHECK(off < HPET_TIMER(3));
				/* never a byte of an FSB route */
				CHECK(off < HPET_TIMER(0) ||
				      (off - HPET_TIMER(0)) % 0x20 < HPET_TN_FSB);
			}
		}
	CHECK(allowed > 0);
}

int main(void)
{
	test_linux();
	test_refused();
	test_sweep();
	return check_summary();
}
