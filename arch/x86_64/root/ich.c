// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root's view of the ICH/PCH TCO watchdog and GCS.NO_REBOOT
 * (root/ich.h). Hardware facts used here (Intel ICH9 datasheet, TCO I/O
 * registers; the same layout from ICH6 to the 9-series PCH):
 * - the timer counts TCO_TMR (10 bits) down in steps of 0.6 s from a
 *   reload (any write to TCO_RLD); reaching zero sets TCO1_STS.TIMEOUT and
 *   starts again from TCO_TMR; reaching zero a second time with TIMEOUT
 *   still set sets TCO2_STS.SECOND_TO_STS and, when GCS.NO_REBOOT (bit 5 of
 *   the dword at RCBA + 0x3410, RCBA being LPC register 0xf0) is clear,
 *   resets the machine; TCO_TMR values 0-3 are ignored;
 * - TCO1_CNT bit 11 (TCO_TMR_HLT) halts the count, bit 12 (TCO_LOCK) locks
 *   that bit until the next reset, bit 9 (NMI_NOW) raises an NMI;
 *   SW_IRQ_GEN raises ISA IRQ 11/12; a write to TCO_DAT_OUT raises an SMI.
 * None of those side effects reaches the hardware: the registers here are
 * the root's alone.
 */
#include "root/ich.h"

void vtco_reset(struct vtco *t, uint64_t period, bool cold)
{
	uint16_t keep = cold ? 0 : (uint16_t)(t->sts2 & (TCO2_STS_SECOND_TO | TCO2_STS_BOOT));
	uint32_t timeouts = cold ? 0 : t->timeouts;

	*t = (struct vtco){ 0 };
	t->period = period ? period : 1;
	t->sts2 = keep;
	t->timeouts = timeouts;
	t->cnt1 = TCO1_CNT_TMR_HLT;
	t->tmr = TCO_TMR_MIN;
	t->tmr_loaded = TCO_TMR_MIN;
	t->no_reboot = true;
}

static uint64_t span(const struct vtco *t)
{
	return (uint64_t)t->tmr_loaded * t->period;
}

/* The count now: what TCO_RLD reads */
static uint16_t count_at(const struct vtco *t, uint64_t now)
{
	uint64_t gone;

	if (!t->expire)
		return t->tmr_loaded; /* halted: the count as it was loaded last */
	gone = now > t->reload_at ? (now - t->reload_at) / t->period : 0;
	return gone >= t->tmr_loaded ? 0 : (uint16_t)(t->tmr_loaded - gone);
}

static void start(struct vtco *t, uint64_t at)
{
	t->tmr_loaded = t->tmr;
	t->reload_at = at;
	t->expire = at + span(t);
	if (!t->expire)
		t->expire = 1;
}

enum vtco_event vtco_advance(struct vtco *t, uint64_t now)
{
	while (t->expire && now >= t->expire) {
		uint64_t at = t->expire;

		t->timeouts++;
		if (!(t->sts1 & TCO1_STS_TIMEOUT)) {
			t->sts1 |= TCO1_STS_TIMEOUT;
		} else {
			t->sts2 |= TCO2_STS_SECOND_TO;
			if (!t->no_reboot) {
				/* the hardware resets here; the timer stops with it */
				t->expire = 0;
				t->cnt1 |= TCO1_CNT_TMR_HLT;
				return VTCO_REBOOT;
			}
			/* NO_REBOOT: nothing changes any more but the phase; skip ahead */
			if (now - at >= span(t)) {
				uint64_t n = (now - at) / span(t);

				t->timeouts += (uint32_t)n;
				at += n * span(t);
			}
		}
		start(t, at);
	}
	return VTCO_NONE;
}

/* The byte at off */
static uint8_t byte_at(const struct vtco *t, unsigned off, uint64_t now)
{
	uint16_t w;

	switch (off & ~1u) {
	case TCO_RLD:
		w = count_at(t, now);
		break;
	case TCO1_STS:
		w = t->sts1;
		break;
	case TCO2_STS:
		w = t->sts2;
		break;
	case TCO1_CNT:
		w = t->cnt1;
		break;
	case TCO2_CNT:
		w = t->cnt2;
		break;
	case TCO_TMR:
		w = t->tmr;
		break;
	default:
		switch (off) {
		case TCO_DAT_IN:
			return t->dat_in;
		case TCO_DAT_OUT:
			return t->dat_out;
		case TCO_MSG1:
			return t->msg1;
		case TCO_MSG2:
			return t->msg2;
		case TCO_WDCNT:
			return t->wdcnt;
		case TCO_SW_IRQ:
			return t->sw_irq;
		default:
			return 0; /* reserved */
		}
	}
	return (uint8_t)(off & 1 ? w >> 8 : w);
}

uint32_t vtco_read(const struct vtco *t, unsigned off, unsigned size, uint64_t now)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size && i < 4; i++)
		if (off + i < ICH_TCO_LEN)
			v |= (uint32_t)byte_at(t, off + i, now) << (8 * i);
	return v;
}

/* TCO1_CNT: the halt and lock bits; NMI_NOW never reaches anything */
static void cnt1_write(struct vtco *t, uint16_t val, uint64_t now)
{
	bool was_halted = t->cnt1 & TCO1_CNT_TMR_HLT;
	bool halt;

	val &= (uint16_t)(TCO1_CNT_TMR_HLT | TCO1_CNT_LOCK | 0x0100); /* HLT, LOCK, NMI2SMI_EN */
	if (t->cnt1 & TCO1_CNT_LOCK)
		val = (uint16_t)((val & ~TCO1_CNT_TMR_HLT) | (t->cnt1 & TCO1_CNT_TMR_HLT) |
				 TCO1_CNT_LOCK);
	t->cnt1 = val;
	halt = val & TCO1_CNT_TMR_HLT;
	if (halt && !was_halted) {
		t->tmr_loaded = count_at(t, now); /* held where it stopped */
		t->expire = 0;
	} else if (!halt && was_halted) {
		/* counting on from where it was held */
		uint16_t held = t->tmr_loaded ? t->tmr_loaded : t->tmr;

		t->tmr_loaded = held;
		t->reload_at = now;
		t->expire = now + span(t);
		if (!t->expire)
			t->expire = 1;
	}
}

/* A write of the bytes in mask (bit per byte) of the 16-bit register at reg */
static void reg16_write(struct vtco *t, unsigned reg, unsigned mask, uint16_t val, uint64_t now)
{
	uint16_t bytes = (uint16_t)((mask & 1 ? 0x00ff : 0) | (mask & 2 ? 0xff00 : 0));
	uint16_t cur = (uint16_t)(byte_at(t, reg, now) | byte_at(t, reg + 1, now) << 8);
	uint16_t nv = (uint16_t)((cur & ~bytes) | (val & bytes));

	switch (reg) {
	case TCO_RLD: /* any value reloads */
		t->tmr_loaded = t->tmr;
		if (t->expire)
			start(t, now);
		break;
	case TCO1_STS: /* write one to clear */
		t->sts1 &= (uint16_t) ~(val & bytes);
		break;
	case TCO2_STS:
		t->sts2 &= (uint16_t) ~(val & bytes);
		break;
	case TCO1_CNT:
		cnt1_write(t, nv, now);
		break;
	case TCO2_CNT:
		t->cnt2 = (uint16_t)(nv & 0x003e);
		break;
	case TCO_TMR:
		if ((nv & TCO_TMR_MASK) >= TCO_TMR_MIN)
			t->tmr = (uint16_t)(nv & TCO_TMR_MASK);
		break;
	default:
		break;
	}
}

static void reg8_write(struct vtco *t, unsigned off, uint8_t val)
{
	switch (off) {
	case TCO_DAT_IN:
		t->dat_in = val;
		break;
	case TCO_DAT_OUT:
		t->dat_out = val;
		break;
	case TCO_MSG1:
		t->msg1 = val;
		break;
	case TCO_MSG2:
		t->msg2 = val;
		break;
	case TCO_WDCNT:
		t->wdcnt = val;
		break;
	case TCO_SW_IRQ:
		t->sw_irq = val & 0x3;
		break;
	default:
		break; /* reserved */
	}
}

static bool is_reg16(unsigned reg)
{
	return reg == TCO_RLD || reg == TCO1_STS || reg == TCO2_STS || reg == TCO1_CNT ||
	       reg == TCO2_CNT || reg == TCO_TMR;
}

enum vtco_event vtco_write(struct vtco *t, unsigned off, unsigned size, uint32_t val, uint64_t now)
{
	enum vtco_event ev = vtco_advance(t, now);
	unsigned i = 0;

	if (ev != VTCO_NONE)
		return ev; /* the root is being reset: the write is lost with it */
	if (size > 4)
		size = 4;
	while (i < size && off + i < ICH_TCO_LEN) {
		unsigned o = off + i, reg = o & ~1u;

		if (is_reg16(reg)) {
			unsigned mask = 0;
			uint16_t v16 = 0;

			/* the bytes of this register in the access, together */
			while (i < size && ((off + i) & ~1u) == reg) {
				unsigned b = (off + i) & 1;

				mask |= 1u << b;
				v16 = (uint16_t)(v16 | ((val >> (8 * i)) & 0xff) << (8 * b));
				i++;
			}
			reg16_write(t, reg, mask, v16, now);
		} else {
			reg8_write(t, o, (uint8_t)(val >> (8 * i)));
			i++;
		}
	}
	return VTCO_NONE;
}

uint32_t vtco_gcs_read(const struct vtco *t, uint32_t hw)
{
	return (hw & ~ICH_GCS_NO_REBOOT) | (t->no_reboot ? ICH_GCS_NO_REBOOT : 0);
}

bool vtco_gcs_write(struct vtco *t, uint32_t hw, uint32_t val)
{
	t->no_reboot = val & ICH_GCS_NO_REBOOT;
	return ((val ^ hw) & ~ICH_GCS_NO_REBOOT) != 0;
}
