// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IPI filter as a pure decision on guest-controlled input (see
 * vcpu/vipi.h); vcpu/ipi.c delivers what it decides.
 */
#include "vcpu/vipi.h"

#include "core/lib.h"

_Static_assert(PART_CPUS_MAX <= 32, "struct vipi.targets holds one bit per vCPU");

/* Intel SDM vol. 3A 11.6.2.2: the flat model is DFR bits 31:28 = 1111b, else cluster. */
#define DFR_MODEL(dfr) ((dfr) >> 28)
#define DFR_FLAT       0xfu

bool vdev_xapic_logical_match(uint32_t ldr, uint32_t dfr, uint32_t dest)
{
	uint32_t id = ldr >> 24;

	dest &= 0xff;
	if (DFR_MODEL(dfr) == DFR_FLAT)
		return (id & dest) != 0;
	/* cluster model: cluster in bits 7:4 must be equal, one of the 4 member bits shared */
	return (id >> 4) == (dest >> 4) && (id & dest & 0xf) != 0;
}

/* ---- IPIs (x2APIC ICR, Intel SDM vol. 3A 11.12.9; xAPIC ICR 11.6.1) ---- */

#define ICR_MODE(x)	 (((x) >> 8) & 7)
#define ICR_LOGICAL	 (1ULL << 11)
#define ICR_ASSERT	 (1ULL << 14)
#define ICR_SHORTHAND(x) (((x) >> 18) & 3)
#define ICR_SH_MASK	 (3ULL << 18)
/* what the hypervisor sends on: vector, delivery mode, level, trigger mode (not bit 11: logical) */
#define ICR_SENT_BITS	  0xc7ffULL
#define ICR_SH_SELF	  1
#define ICR_SH_ALL	  2
#define ICR_SH_OTHERS	  3
#define ICR_MODE_FIXED	  0
#define ICR_MODE_LOWEST	  1
#define ICR_MODE_SMI	  2
#define ICR_MODE_RESERVED 3
#define ICR_MODE_NMI	  4
#define ICR_MODE_INIT	  5
#define ICR_MODE_SIPI	  6
#define ICR_MODE_EXTINT	  7

static bool refuse(struct vipi *out, const char *why)
{
	out->kind = VIPI_REFUSED;
	out->why = why;
	out->targets = 0;
	return false;
}

bool vipi_decide(const struct vdev_part *p, uint32_t self, bool x2apic, uint64_t icr,
		 struct vipi *out)
{
	uint32_t n = p->count < PART_CPUS_MAX ? p->count : PART_CPUS_MAX;
	uint32_t dest = (uint32_t)(icr >> 32), present = 0, targets = 0;
	unsigned mode = ICR_MODE(icr);
	bool init_sipi = mode == ICR_MODE_INIT || mode == ICR_MODE_SIPI;
	int t = -1;

	memset(out, 0, sizeof(*out));
	if (self >= n)
		return refuse(out, "IPI from a CPU outside the partition");
	for (uint32_t i = 0; i < n; i++)
		if (p->cpu[i].present)
			present |= 1u << i;
	if (mode == ICR_MODE_SMI || mode == ICR_MODE_RESERVED || mode == ICR_MODE_EXTINT)
		return refuse(out, "IPI delivery mode (SMI, ExtINT or reserved)");
	if (ICR_SHORTHAND(icr) != 0) {
		/* shorthands reach the partition's own CPUs only */
		if (init_sipi)
			return refuse(out, "INIT/SIPI with a destination shorthand");
		switch (ICR_SHORTHAND(icr)) {
		case ICR_SH_SELF:
			targets = present & (1u << self);
			break;
		case ICR_SH_ALL:
			targets = present;
			break;
		default:
			targets = present & ~(1u << self);
			break;
		}
	} else if (icr & ICR_LOGICAL) {
		/* xAPIC logical destinations are resolved to the partition's own CPUs; an
		   x2APIC one would name CPUs by cluster the hypervisor does not check */
		if (x2apic || init_sipi)
			return refuse(out, "logical-destination IPI");
		for (uint32_t i = 0; i < n; i++)
			if ((present & (1u << i)) &&
			    vdev_xapic_logical_match(p->cpu[i].ldr, p->cpu[i].dfr, dest))
				targets |= 1u << i;
	} else {
		for (uint32_t i = 0; i < n && t < 0; i++)
			if (p->cpu[i].apic_id == dest)
				t = (int)i;
		if (t < 0)
			return refuse(
				out, mode == ICR_MODE_INIT   ? "INIT to a CPU outside the partition"
				     : mode == ICR_MODE_SIPI ? "SIPI to a CPU outside the partition"
				     : mode == ICR_MODE_NMI  ? "NMI to a CPU outside the partition"
							    : "IPI to a CPU outside the partition");
		if (init_sipi) {
			/* INIT/SIPI start a Linux root's APs; anything else would reset a CPU */
			if (!p->linux_root || (uint32_t)t == self)
				return refuse(out, "INIT/SIPI to a partition CPU (only a Linux "
						   "root's APs start so)");
			out->targets = present & (1u << t);
			if (mode == ICR_MODE_SIPI) {
				out->kind = VIPI_SIPI;
				out->vector = (uint8_t)icr;
			} else {
				/* INIT level de-assert: nothing on a modern APIC */
				out->kind = (icr & ICR_ASSERT) ? VIPI_INIT : VIPI_INIT_DEASSERT;
			}
			return true;
		}
		for (uint32_t i = 0; i < n; i++)
			if ((present & (1u << i)) && p->cpu[i].apic_id == dest)
				targets |= 1u << i;
	}
	/* lowest priority to a logical set: one CPU gets it, as the APIC bus would choose */
	if (mode == ICR_MODE_LOWEST && (icr & ICR_LOGICAL))
		targets &= -targets;
	out->targets = targets;
	if (mode == ICR_MODE_NMI) {
		out->kind = VIPI_NMI;
	} else {
		out->kind = VIPI_PHYS;
		/*
		 * Only the fields the hypervisor understands: the reserved bits
		 * (and the read-only delivery status) of a guest's value would
		 * make the x2APIC ICR write #GP in the hypervisor.
		 */
		out->low = (uint32_t)(icr & ICR_SENT_BITS);
	}
	return true;
}
