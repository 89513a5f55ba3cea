// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC write policy every partition's APIC writes go through (the
 * trapped xAPIC page, vcpu/vapic.c; the x2APIC LVT MSRs, vcpu/exits.c).
 * Pure: unit tested (test/unit/vcpu/test_exits.c).
 *
 * Local vector table entries: an unmasked entry may deliver a fixed
 * interrupt with a vector of 32 or more, or an NMI. Refused: SMI (the
 * firmware's SMM may gather every CPU of the machine), INIT (resets the CPU
 * under the hypervisor), the reserved modes, and a vector below 32 (an
 * exception vector: taken while the CPU waits in the hypervisor it would
 * run an exception handler). ExtINT, the 8259 PIC's virtual wire, is never
 * given: the PIC's output reaches every CPU's LINT0, the root owns the PIC,
 * and an RT partition that took ExtINT would take the root's interrupts
 * (Linux asks for it on its boot CPU when the firmware left it so, and at
 * shutdown): the entry is written masked and the caller reports it.
 *
 * The xAPIC page (a Linux root's CPUs): only the registers Linux writes
 * reach the CPU's APIC (TPR, EOI, SVR, ESR, LVT, TMICT, TDCR). LDR and DFR stay virtual (the hypervisor owns the
 * hardware logical IDs: a root's value never decides which CPU a logical
 * message reaches); the ICR goes through the IPI filter; the ID, the
 * read-only and reserved registers are refused.
 */
#include "vcpu/vcpu.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"

#define LVT_VECTOR(v)	 ((v)&0xffu)
#define VECTOR_FIRST_IRQ 32u
#define SVR_VECTOR(v)	 ((v)&0xffu)
#define SVR_APIC_ENABLE	 (1u << 8)

bool vapic_lvt_has_mode(uint32_t off)
{
	return off == XAPIC_LVT_CMCI || off == XAPIC_LVT_THERMAL || off == XAPIC_LVT_PERF ||
	       off == XAPIC_LVT_LINT0 || off == XAPIC_LVT_LINT1;
}

bool vapic_lvt_reg(uint32_t off)
{
	return vapic_lvt_has_mode(off) || off == XAPIC_LVT_TIMER || off == XAPIC_LVT_ERROR;
}

int vapic_lvt_check(uint32_t off, uint32_t *val, char *why, size_t why_len)
{
	static const char *const modes[8] = { "fixed",	      "reserved (1)", "SMI",
					      "reserved (3)", "NMI",	      "INIT",
					      "reserved (6)", "ExtINT" };
	uint32_t v = *val, mode = vapic_lvt_has_mode(off) ? APIC_LVT_MODE(v) : APIC_DM_FIXED;

	if (!vapic_lvt_reg(off) || (v & APIC_LVT_MASKED) || mode == APIC_DM_NMI)
		return 0;
	if (mode == APIC_DM_FIXED) {
		if (LVT_VECTOR(v) >= VECTOR_FIRST_IRQ)
			return 0;
		snprintf(why, why_len, "APIC LVT 0x%x = 0x%x: vector %u is an exception vector",
			 off, v, LVT_VECTOR(v));
		return -HV_EPERM;
	}
	if (mode == APIC_DM_EXTINT) {
		*val = v | APIC_LVT_MASKED;
		snprintf(why, why_len,
			 "APIC LVT 0x%x = 0x%x: ExtINT (the 8259's virtual wire) is never given; "
			 "written masked",
			 off, v);
		return VAPIC_LVT_MASKED;
	}
	snprintf(why, why_len, "APIC LVT 0x%x = 0x%x: %s delivery refused", off, v, modes[mode]);
	return -HV_EPERM;
}

enum vapic_op vapic_write_policy(uint32_t off, uint32_t *val, char *why, size_t why_len)
{
	int rc;

	switch (off) {
	case XAPIC_TPR:
	case XAPIC_EOI:
	case XAPIC_ESR:
	case XAPIC_TMICT:
	case XAPIC_TDCR:
		return VAPIC_FORWARD;
	case XAPIC_SVR:
		/*
		 * Any spurious vector, even one below 32: Linux writes 0x0f at
		 * shutdown (the virtual-wire set-up for the firmware). A spurious
		 * interrupt reaches only the guest: before a CPU waits in the
		 * hypervisor with interrupts on, its APIC is reset (cpu/apic.c).
		 */
		return VAPIC_FORWARD;
	case XAPIC_LDR:
		*val &= 0xff000000u; /* bits 23:0 are reserved */
		return VAPIC_LDR;
	case XAPIC_DFR:
		*val |= 0x0fffffffu; /* bits 27:0 read as ones */
		return VAPIC_DFR;
	case XAPIC_ICR_HI:
		return VAPIC_ICR_HI;
	case XAPIC_ICR_LO:
		return VAPIC_ICR_LO;
	default:
		break;
	}
	if (vapic_lvt_reg(off)) {
		rc = vapic_lvt_check(off, val, why, why_len);
		return rc < 0			? VAPIC_REFUSED
		       : rc == VAPIC_LVT_MASKED ? VAPIC_MASKED
						: VAPIC_FORWARD;
	}
	snprintf(why, why_len, "APIC %s 0x%x write 0x%x refused",
		 off == XAPIC_ID ? "ID" : "register", off, *val);
	return VAPIC_REFUSED;
}
