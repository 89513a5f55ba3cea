// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local vector table policy every partition's APIC writes go through
 * (the trapped xAPIC page, vcpu/vapic.c; x2APIC LVT MSRs, vcpu/exits.c): an
 * entry may deliver fixed interrupts, NMIs or ExtINT (the PIC's virtual
 * wire; Linux unmasks it on its boot CPU), or anything while masked. An
 * unmasked SMI would take the CPU into the firmware's SMM, which may gather
 * every CPU of the machine; an INIT would reset the CPU under the
 * hypervisor; the reserved modes mean nothing. Pure: unit tested.
 */
#include "vcpu/vcpu.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"

bool vapic_lvt_has_mode(uint32_t off)
{
	return off == XAPIC_LVT_CMCI || off == XAPIC_LVT_THERMAL || off == XAPIC_LVT_PERF ||
	       off == XAPIC_LVT_LINT0 || off == XAPIC_LVT_LINT1;
}

int vapic_lvt_check(uint32_t off, uint32_t val, char *why, size_t why_len)
{
	static const char *const modes[8] = { "fixed",	      "reserved (1)", "SMI",
					      "reserved (3)", "NMI",	      "INIT",
					      "reserved (6)", "ExtINT" };
	uint32_t mode = APIC_LVT_MODE(val);

	if (!vapic_lvt_has_mode(off) || (val & APIC_LVT_MASKED) || mode == APIC_DM_FIXED ||
	    mode == APIC_DM_NMI || mode == APIC_DM_EXTINT)
		return 0;
	snprintf(why, why_len, "APIC LVT 0x%x = 0x%x: %s delivery refused", off, val, modes[mode]);
	return -HV_EPERM;
}
