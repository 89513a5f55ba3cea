// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC of a partition on a CPU without x2APIC (or with x2apic=off):
 * the xAPIC page is not mapped in stage 2, so each access traps; the generic
 * MMIO path (vcpu/exits.c) decodes the instruction and calls vapic_access(),
 * which performs it on the CPU's own APIC as vapic_write_policy()
 * (vcpu/lvt.c) decides: the registers Linux writes pass, LVT entries
 * checked; the ICR goes through the IPI filter; LDR and DFR are the vCPU's
 * own virtual registers (the hardware ones keep the hypervisor's values, so
 * a root's logical ID never decides where a logical message goes).
 */
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"
#include "core/errno.h"
#include "core/lib.h"

int vapic_access(struct vcpu *v, uint32_t off, unsigned size, bool write, uint64_t *val, char *why,
		 size_t why_len)
{
	uint32_t w = (uint32_t)*val;

	if (size != 4 || (off & 3)) {
		snprintf(why, why_len, "APIC register 0x%x accessed with %u bytes", off, size);
		return -HV_EINVAL;
	}
	if (!write) {
		*val = off == XAPIC_LDR	  ? v->xapic_ldr
		       : off == XAPIC_DFR ? v->xapic_dfr
					  : mmio_read32(XAPIC_PAGE + off);
		return 0;
	}
	switch (vapic_write_policy(off, &w, why, why_len)) {
	case VAPIC_REFUSED:
		return -HV_EPERM;
	case VAPIC_LDR:
		v->xapic_ldr = w;
		return 0;
	case VAPIC_DFR:
		v->xapic_dfr = w;
		return 0;
	case VAPIC_ICR_HI:
		v->xapic_icr_hi = w;
		return 0;
	case VAPIC_ICR_LO: {
		/* the same filter as an x2APIC ICR write: destination in bits 63:32 */
		uint64_t icr = ((uint64_t)(v->xapic_icr_hi >> 24) << 32) | w;

		return vcpu_send_ipi(v, icr, why, why_len) < 0 ? -HV_EPERM : 0;
	}
	case VAPIC_MASKED:
		vcpu_lvt_masked(v, why);
		break;
	case VAPIC_FORWARD:
		break;
	}
	mmio_write32(XAPIC_PAGE + off, w);
	return 0;
}
