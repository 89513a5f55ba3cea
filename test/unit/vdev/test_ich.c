// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the root's ICH/PCH TCO watchdog and GCS.NO_REBOOT
 * (arch/x86_64/root/ich.c): finding the blocks from the LPC bridge, the
 * register file, the two timeouts, halting and locking, the restart that
 * keeps the second-timeout status, and the sequence Linux's iTCO_wdt
 * (TCO version 2) performs at probe, start, ping and stop.
 */
#include "../check.h"
#include "root/ich.h"
#include "platform/chipset.h"

#define P 1000 /* one tick: 1000 time units */

static void test_find(void)
{
	struct ich_platform ip;
	const char *why;

	/* QEMU q35 with SeaBIOS or OVMF: PMBASE 0x600, ACPI on, RCBA 0xfed1c000 */
	CHECK(ich_find(0x29188086, 0x06010002, 0x601, 0x80, 0xfed1c001, 0x600, &ip, &why));
	CHECK(ip.found);
	CHECK_EQ(ip.pmbase, 0x600);
	CHECK_EQ(ip.tco, 0x660);
	CHECK_EQ(ip.smi_en, 0x630);
	CHECK_EQ(ip.rcrb, 0xfed1c000ULL);
	/* RCRB off: no GCS, the rest stays */
	CHECK(ich_find(0x29188086, 0x06010002, 0x601, 0x80, 0xfed1c000, 0x600, &ip, &why));
	CHECK_EQ(ip.rcrb, 0ULL);
	/* not Intel, not an ISA bridge, PM block off or elsewhere than the FADT says */
	CHECK(!ich_find(0x790e1022, 0x06010051, 0x601, 0x80, 0, 0x600, &ip, &why));
	CHECK(strstr(why, "no Intel ISA/LPC bridge") != NULL);
	CHECK(!ip.found);
	CHECK(!ich_find(0x29188086, 0x06040002, 0x601, 0x80, 0, 0x600, &ip, &why));
	CHECK(!ich_find(0x29188086, 0x06010002, 0x601, 0x00, 0, 0x600, &ip, &why));
	CHECK(strstr(why, "does not decode") != NULL);
	CHECK(!ich_find(0x29188086, 0x06010002, 0x600, 0x80, 0, 0x600, &ip, &why));
	CHECK(!ich_find(0x29188086, 0x06010002, 0x1, 0x80, 0, 0, &ip, &why));
	/* a 100-series PCH: register 0x40 is not the PM block the FADT names */
	CHECK(!ich_find(0xa1488086, 0x06010031, 0x0, 0x0, 0, 0x1800, &ip, &why));
	CHECK(!ich_find(0xa1488086, 0x06010031, 0x501, 0x80, 0, 0x1800, &ip, &why));
	CHECK(strstr(why, "not the FADT's PM1a event block") != NULL);
}

static void test_reset_state(void)
{
	struct vtco t;

	vtco_reset(&t, P, true);
	CHECK_EQ(vtco_read(&t, TCO1_CNT, 2, 0) & TCO1_CNT_TMR_HLT, TCO1_CNT_TMR_HLT);
	CHECK_EQ(vtco_read(&t, TCO_TMR, 2, 0), 4u);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, 0), 4u);
	CHECK_EQ(vtco_read(&t, TCO1_STS, 2, 0), 0u);
	CHECK_EQ(vtco_read(&t, TCO2_STS, 2, 0), 0u);
	CHECK(t.no_reboot);
	/* halted: time passes, nothing happens */
	CHECK_EQ(vtco_advance(&t, 1000000 * P), VTCO_NONE);
	CHECK_EQ(t.timeouts, 0u);
	/* reserved bytes read zero and ignore writes */
	CHECK_EQ(vtco_write(&t, 0x14, 4, 0xffffffff, 0), VTCO_NONE);
	CHECK_EQ(vtco_read(&t, 0x14, 4, 0), 0u);
	CHECK_EQ(vtco_read(&t, 0x0f, 1, 0), 0u);
}

/* Linux's iTCO_wdt, version 2, as it drives the registers */
static void linux_probe(struct vtco *t, uint32_t *gcs_hw, uint64_t now)
{
	/* check that NO_REBOOT can be cleared, then set it again */
	CHECK(!vtco_gcs_write(t, *gcs_hw, vtco_gcs_read(t, *gcs_hw) & ~ICH_GCS_NO_REBOOT));
	CHECK_EQ(vtco_gcs_read(t, *gcs_hw) & ICH_GCS_NO_REBOOT, 0u);
	CHECK(!vtco_gcs_write(t, *gcs_hw, vtco_gcs_read(t, *gcs_hw) | ICH_GCS_NO_REBOOT));
	/* clear the old status: TIMEOUT, SECOND_TO_STS, BOOT_STS */
	vtco_write(t, TCO1_STS, 2, 0x0008, now);
	vtco_write(t, TCO2_STS, 2, 0x0002, now);
	vtco_write(t, TCO2_STS, 2, 0x0004, now);
}

static void linux_start(struct vtco *t, uint32_t gcs_hw, unsigned ticks, uint64_t now)
{
	uint32_t v = vtco_read(t, TCO_TMR, 2, now);

	vtco_write(t, TCO_TMR, 2, (v & 0xfc00) | ticks, now);
	CHECK_EQ(vtco_read(t, TCO_TMR, 2, now) & 0x3ff, ticks);
	vtco_write(t, TCO_RLD, 2, 1, now);
	vtco_gcs_write(t, gcs_hw, vtco_gcs_read(t, gcs_hw) & ~ICH_GCS_NO_REBOOT);
	v = vtco_read(t, TCO1_CNT, 2, now) & ~TCO1_CNT_TMR_HLT;
	vtco_write(t, TCO1_CNT, 2, v, now);
	CHECK_EQ(vtco_read(t, TCO1_CNT, 2, now) & TCO1_CNT_TMR_HLT, 0u);
}

static void test_linux_cycle(void)
{
	struct vtco t;
	uint32_t gcs = 0x00000020; /* the hardware's GCS: NO_REBOOT set */
	uint64_t now = 5 * P;

	vtco_reset(&t, P, true);
	linux_probe(&t, &gcs, now);
	/* timeout 3 s: 5 ticks */
	linux_start(&t, gcs, 5, now);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, now), 5u);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, now + 2 * P + 1), 3u);
	/* pinged every 4 ticks: never a timeout */
	for (unsigned i = 1; i <= 50; i++) {
		now += 4 * P;
		CHECK_EQ(vtco_write(&t, TCO_RLD, 2, 1, now), VTCO_NONE);
	}
	CHECK_EQ(t.timeouts, 0u);
	CHECK_EQ(vtco_read(&t, TCO1_STS, 2, now) & TCO1_STS_TIMEOUT, 0u);
	/* no more pings: the first zero sets TIMEOUT, the second reboots */
	CHECK_EQ(vtco_advance(&t, now + 5 * P - 1), VTCO_NONE);
	CHECK_EQ(vtco_advance(&t, now + 5 * P), VTCO_NONE);
	CHECK_EQ(vtco_read(&t, TCO1_STS, 2, now + 5 * P) & TCO1_STS_TIMEOUT, TCO1_STS_TIMEOUT);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, now + 5 * P), 5u); /* counting again */
	CHECK_EQ(vtco_advance(&t, now + 10 * P - 1), VTCO_NONE);
	CHECK_EQ(vtco_advance(&t, now + 10 * P), VTCO_REBOOT);
	CHECK_EQ(t.timeouts, 2u);
	CHECK_EQ(vtco_read(&t, TCO2_STS, 2, now) & TCO2_STS_SECOND_TO, TCO2_STS_SECOND_TO);
	CHECK_EQ(vtco_advance(&t, now + 100 * P), VTCO_NONE); /* fired once */
	/* the restart keeps SECOND_TO_STS for the next kernel to see; the rest is reset */
	vtco_reset(&t, P, false);
	CHECK_EQ(vtco_read(&t, TCO2_STS, 2, 0), TCO2_STS_SECOND_TO);
	CHECK(t.no_reboot);
	CHECK_EQ(vtco_read(&t, TCO1_CNT, 2, 0) & TCO1_CNT_TMR_HLT, TCO1_CNT_TMR_HLT);
	CHECK_EQ(vtco_read(&t, TCO1_STS, 2, 0), 0u);
	linux_probe(&t, &gcs, 0);
	CHECK_EQ(vtco_read(&t, TCO2_STS, 2, 0), 0u);
	/* a cold reset clears it all */
	vtco_write(&t, TCO2_STS, 2, 0, 0);
	vtco_reset(&t, P, true);
	CHECK_EQ(t.timeouts, 0u);
}

static void test_timeout_cleared(void)
{
	struct vtco t;
	uint32_t gcs = 0x20;
	uint64_t now = 0;

	vtco_reset(&t, P, true);
	linux_start(&t, gcs, 4, now);
	/* a ping that comes after the first zero does not clear TIMEOUT: the next zero reboots */
	CHECK_EQ(vtco_advance(&t, 4 * P), VTCO_NONE);
	CHECK_EQ(vtco_write(&t, TCO_RLD, 2, 1, 6 * P), VTCO_NONE);
	CHECK_EQ(vtco_advance(&t, 10 * P - 1), VTCO_NONE);
	CHECK_EQ(vtco_advance(&t, 10 * P), VTCO_REBOOT);
	/* clearing TIMEOUT (as version-1 drivers do with every ping) takes two zeros again */
	vtco_reset(&t, P, true);
	linux_start(&t, gcs, 4, 0);
	for (uint64_t k = 1; k <= 10; k++) {
		CHECK_EQ(vtco_advance(&t, 4 * P * k), VTCO_NONE);
		CHECK_EQ(vtco_write(&t, TCO1_STS, 2, TCO1_STS_TIMEOUT, 4 * P * k), VTCO_NONE);
	}
	CHECK_EQ(t.timeouts, 10u);
	/* one write that arrives after both zeros: the reboot comes first, the write is lost */
	CHECK_EQ(vtco_write(&t, TCO_RLD, 2, 1, 4 * P * 10 + 8 * P), VTCO_REBOOT);
}

static void test_no_reboot(void)
{
	struct vtco t;
	uint32_t gcs = 0x20;

	vtco_reset(&t, P, true);
	linux_start(&t, gcs, 4, 0);
	/* NO_REBOOT set again: the second zero only sets the status */
	CHECK(!vtco_gcs_write(&t, gcs, 0x20));
	CHECK_EQ(vtco_advance(&t, 8 * P), VTCO_NONE);
	CHECK_EQ(vtco_read(&t, TCO2_STS, 2, 8 * P), TCO2_STS_SECOND_TO);
	/* a long time later: no loop over every period, no event */
	CHECK_EQ(vtco_advance(&t, 8 * P + 4000000000ULL * P), VTCO_NONE);
	CHECK(t.timeouts >= 1000000000u);
	CHECK(vtco_read(&t, TCO_RLD, 2, 8 * P + 4000000000ULL * P) <= 4u);
	/* clearing NO_REBOOT reboots at the next zero (TIMEOUT is still set) */
	CHECK(!vtco_gcs_write(&t, gcs, 0));
	CHECK_EQ(vtco_advance(&t, 8 * P + 4000000000ULL * P + 4 * P), VTCO_REBOOT);
	/* GCS: the other bits are the hardware's, shown as they are, never taken */
	CHECK_EQ(vtco_gcs_read(&t, 0x00000461), 0x00000441u);
	CHECK(vtco_gcs_write(&t, 0x00000461, 0x00000401));
	CHECK_EQ(vtco_gcs_read(&t, 0x00000461), 0x00000441u);
	CHECK(!vtco_gcs_write(&t, 0x00000461, 0x00000461));
	CHECK_EQ(vtco_gcs_read(&t, 0x00000441), 0x00000461u);
}

static void test_halt_lock(void)
{
	struct vtco t;

	vtco_reset(&t, P, true);
	vtco_gcs_write(&t, 0x20, 0);
	vtco_write(&t, TCO_TMR, 2, 10, 0);
	vtco_write(&t, TCO_RLD, 2, 1, 0);
	vtco_write(&t, TCO1_CNT, 2, 0, 0); /* run */
	/* halted after 3 ticks: the count holds at 7 */
	vtco_write(&t, TCO1_CNT, 2, TCO1_CNT_TMR_HLT, 3 * P);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, 3 * P), 7u);
	CHECK_EQ(vtco_advance(&t, 1000 * P), VTCO_NONE);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, 1000 * P), 7u);
	/* running again: zero 7 ticks later */
	vtco_write(&t, TCO1_CNT, 2, 0, 1000 * P);
	CHECK_EQ(vtco_advance(&t, 1007 * P - 1), VTCO_NONE);
	CHECK_EQ(t.timeouts, 0u);
	CHECK_EQ(vtco_advance(&t, 1007 * P), VTCO_NONE);
	CHECK_EQ(t.timeouts, 1u);
	/* TCO_LOCK: the halt bit cannot change any more (until the root's reset) */
	vtco_write(&t, TCO1_CNT, 2, TCO1_CNT_LOCK, 1007 * P);
	vtco_write(&t, TCO1_CNT, 2, TCO1_CNT_TMR_HLT, 1008 * P);
	CHECK_EQ(vtco_read(&t, TCO1_CNT, 2, 1008 * P) & (TCO1_CNT_TMR_HLT | TCO1_CNT_LOCK),
		 TCO1_CNT_LOCK);
	CHECK_EQ(vtco_advance(&t, 1017 * P), VTCO_REBOOT);
	vtco_reset(&t, P, false);
	CHECK_EQ(vtco_read(&t, TCO1_CNT, 2, 0), TCO1_CNT_TMR_HLT);
	/* NMI_NOW is never kept (nothing raises an NMI); the byte halves of TCO1_CNT */
	vtco_write(&t, TCO1_CNT, 2, TCO1_CNT_NMI_NOW | TCO1_CNT_TMR_HLT, 0);
	CHECK_EQ(vtco_read(&t, TCO1_CNT, 2, 0), TCO1_CNT_TMR_HLT);
	vtco_write(&t, TCO1_CNT + 1, 1, 0x00, 0); /* the high byte: halt off */
	CHECK_EQ(vtco_read(&t, TCO1_CNT, 2, 0) & TCO1_CNT_TMR_HLT, 0u);
	CHECK(t.expire != 0);
}

static void test_registers(void)
{
	struct vtco t;

	vtco_reset(&t, P, true);
	/* TCO_TMR: 10 bits, values 0-3 ignored */
	vtco_write(&t, TCO_TMR, 2, 0xfc3f, 0);
	CHECK_EQ(vtco_read(&t, TCO_TMR, 2, 0), 0x3fu);
	vtco_write(&t, TCO_TMR, 2, 3, 0);
	CHECK_EQ(vtco_read(&t, TCO_TMR, 2, 0), 0x3fu);
	vtco_write(&t, TCO_TMR, 1, 0x20, 0); /* the low byte alone */
	CHECK_EQ(vtco_read(&t, TCO_TMR, 2, 0), 0x20u);
	vtco_write(&t, TCO_TMR + 1, 1, 0x03, 0); /* the high byte alone: bits 9:8 */
	CHECK_EQ(vtco_read(&t, TCO_TMR, 2, 0), 0x320u);
	/* byte registers */
	vtco_write(&t, TCO_MSG1, 4, 0x44332211, 0); /* MSG1, MSG2, WDCNT, reserved */
	CHECK_EQ(vtco_read(&t, TCO_MSG1, 4, 0), 0x00332211u);
	vtco_write(&t, TCO_SW_IRQ, 1, 0xff, 0);
	CHECK_EQ(vtco_read(&t, TCO_SW_IRQ, 1, 0), 3u);
	vtco_write(&t, TCO_DAT_IN, 2, 0xbbaa, 0);
	CHECK_EQ(vtco_read(&t, TCO_DAT_IN, 2, 0), 0xbbaau);
	/* a dword across the two status registers: write one to clear, each its own */
	t.sts1 = 0x000c;
	t.sts2 = 0x0006;
	vtco_write(&t, TCO1_STS, 4, 0x00020008, 0);
	CHECK_EQ(vtco_read(&t, TCO1_STS, 4, 0), 0x00040004u);
	/* a dword at TCO_RLD reloads and writes DAT_IN/DAT_OUT */
	vtco_write(&t, TCO_RLD, 4, 0x12340001, 0);
	CHECK_EQ(vtco_read(&t, TCO_DAT_IN, 2, 0), 0x1234u);
	CHECK_EQ(vtco_read(&t, TCO_RLD, 2, 0), 0x320u);
	/* an access running past the block: only its own bytes */
	CHECK_EQ(vtco_read(&t, 0x1e, 4, 0), 0u);
	CHECK_EQ(vtco_write(&t, 0x1f, 4, 0xffffffff, 0), VTCO_NONE);
	/* a zero period is taken as one unit, never a division by zero */
	vtco_reset(&t, 0, true);
	CHECK_EQ(t.period, 1ULL);
}

int main(void)
{
	test_find();
	test_reset_state();
	test_linux_cycle();
	test_timeout_cleared();
	test_no_reboot();
	test_halt_lock();
	test_registers();
	return check_summary();
}
