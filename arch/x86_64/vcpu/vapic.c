// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC of a partition on a CPU without x2APIC (or with x2apic=off):
 * the xAPIC page is not mapped in stage 2, so each access traps; the generic
 * MMIO path (vcpu/exits.c) decodes the instruction and calls vapic_access(),
 * which performs it on the CPU's own APIC. Writes to the ICR are filtered
 * like x2APIC ICR writes; the APIC ID is not the guest's to write; a local
 * vector table entry may deliver only fixed interrupts, NMIs or ExtINT
 * (the PIC's virtual wire) unless it is masked: an SMI would take the CPU
 * into the firmware's SMM (which may gather every CPU of the machine), an
 * INIT would reset it under the hypervisor. x2APIC partitions get the same
 * LVT check through the MSR path (vcpu/exits.c).
 */
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"

int vapic_access(struct vcpu *v, uint32_t off, unsigned size, bool write, uint64_t *val, char *why,
		 size_t why_len)
{
	if (size != 4 || (off & 3)) {
		snprintf(why, why_len, "APIC register 0x%x accessed with %u bytes", off, size);
		return -HV_EINVAL;
	}
	if (!write) {
		*val = mmio_read32(XAPIC_PAGE + off);
		return 0;
	}
	if (off == XAPIC_ID) {
		snprintf(why, why_len, "APIC ID write 0x%x refused", (uint32_t)*val);
		return -HV_EPERM;
	}
	if (vapic_lvt_check(off, (uint32_t)*val, why, why_len) < 0)
		return -HV_EPERM;
	if (off == XAPIC_ICR_HI) {
		v->xapic_icr_hi = (uint32_t)*val;
	} else if (off == XAPIC_ICR_LO) {
		/* the same filter as an x2APIC ICR write: destination in bits 63:32 */
		uint64_t icr = ((uint64_t)(v->xapic_icr_hi >> 24) << 32) | (uint32_t)*val;

		if (vcpu_send_ipi(v, icr, why, why_len) < 0)
			return -HV_EPERM;
	} else {
		/* LDR and DFR are kept to find the CPU an emulated interrupt's logical destination names */
		if (off == XAPIC_LDR)
			v->xapic_ldr = (uint32_t)*val;
		else if (off == XAPIC_DFR)
			v->xapic_dfr = (uint32_t)*val;
		mmio_write32(XAPIC_PAGE + off, (uint32_t)*val);
	}
	return 0;
}
