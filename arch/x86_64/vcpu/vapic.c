// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC of a partition on a CPU without x2APIC (or with x2apic=off):
 * the xAPIC page is not mapped in stage 2, so each access traps. The
 * instruction is fetched through the guest's page tables, decoded, and
 * emulated on the CPU's own APIC; writes to the ICR are filtered like x2APIC
 * ICR writes. Vendor-neutral: the back end passes registers and paging.
 */
#include "vcpu/guest_walk.h"
#include "vcpu/insn.h"
#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/partition.h"

#define XAPIC_BASE \
	0xfee00000ULL /* the only base a partition can have: APIC_BASE writes are refused */
#define XAPIC_ICR_LO 0x300
#define XAPIC_ICR_HI 0x310
#define XAPIC_LDR    0x0d0
#define XAPIC_DFR    0x0e0

bool vapic_is_xapic_page(uint64_t gpa)
{
	return !apic_x2apic_mode() && gpa >= XAPIC_BASE && gpa < XAPIC_BASE + PAGE_SIZE;
}

static int vapic_gpa_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	return gmem_read(ctx, gpa, dst, len);
}

/* Fetches and decodes the instruction that faulted; checks it is still the same kind of access. */
static int fetch_decode(struct vcpu *v, const struct guest_paging *pg, uint64_t rip, int mode_bits,
			bool fault_write, struct insn_mmio *in, char *why, size_t why_len)
{
	uint8_t bytes[GUEST_FETCH_MAX];
	size_t n = guest_fetch_insn(pg, rip, vapic_gpa_read, v->part, bytes);

	if (n == 0 || insn_decode_mmio(bytes, n, mode_bits, in) < 0) {
		snprintf(why, why_len, "MMIO access by an instruction that cannot be emulated");
		return -HV_EINVAL;
	}
	/* another vCPU may have rewritten the instruction since the fault */
	if (in->write != fault_write) {
		snprintf(why, why_len, "MMIO access changed between fault and decode");
		return -HV_EINVAL;
	}
	return 0;
}

/*
 * The root's accesses to device memory the table does not give it: the
 * IOAPIC is emulated (root_emul.c: only the root's own pins), any other
 * address reads as all ones and ignores writes.
 */
int root_mmio_emulate(struct vcpu *v, const struct guest_paging *pg, uint64_t rip, int mode_bits,
		      uint64_t gpa, bool fault_write, uint64_t regs[INSN_NR_GPRS], unsigned *len,
		      char *why, size_t why_len)
{
	struct insn_mmio in;

	if (fetch_decode(v, pg, rip, mode_bits, fault_write, &in, why, why_len) < 0)
		return -HV_EINVAL;
	uint64_t val64 = in.write ? insn_write_value(&in, regs) : 0;
	uint32_t val = (uint32_t)val64;

	if (root_pci_msix(v, gpa, in.size, in.write, &val64)) {
		if (!in.write)
			insn_complete_read(&in, regs, val64);
	} else if (root_ioapic_access(v, gpa, in.size, in.write, &val) ||
		   root_pci_mmcfg(v, gpa, in.size, in.write, &val)) {
		if (!in.write)
			insn_complete_read(&in, regs, val);
	} else {
		root_denied_access(v, gpa, in.write);
		if (!in.write)
			insn_complete_read(&in, regs, insn_ones(in.size));
	}
	*len = in.len;
	return 0;
}

int vapic_emulate(struct vcpu *v, const struct guest_paging *pg, uint64_t rip, int mode_bits,
		  uint64_t gpa, bool fault_write, uint64_t regs[INSN_NR_GPRS], unsigned *len,
		  char *why, size_t why_len)
{
	struct insn_mmio in;
	uint32_t off = (uint32_t)(gpa - XAPIC_BASE);

	if (fetch_decode(v, pg, rip, mode_bits, fault_write, &in, why, why_len) < 0)
		return -HV_EINVAL;
	if (in.size != 4 || (off & 3)) {
		snprintf(why, why_len, "APIC register 0x%x accessed with %u bytes", off, in.size);
		return -HV_EINVAL;
	}
	if (in.write) {
		uint32_t val = (uint32_t)insn_write_value(&in, regs);

		if (off == XAPIC_ICR_HI) {
			v->xapic_icr_hi = val;
		} else if (off == XAPIC_ICR_LO) {
			/* the same filter as an x2APIC ICR write: destination in bits 63:32 */
			uint64_t icr = ((uint64_t)(v->xapic_icr_hi >> 24) << 32) | val;

			if (vcpu_send_ipi(v, icr, why, why_len) < 0)
				return -HV_EPERM;
		} else if (off == XAPIC_LDR || off == XAPIC_DFR) {
			/* kept to find the CPU an emulated interrupt's logical destination names */
			if (off == XAPIC_LDR)
				v->xapic_ldr = val;
			else
				v->xapic_dfr = val;
			mmio_write32(XAPIC_BASE + off, val);
		} else {
			mmio_write32(XAPIC_BASE + off, val);
		}
	} else {
		insn_complete_read(&in, regs, mmio_read32(XAPIC_BASE + off));
	}
	*len = in.len;
	return 0;
}
