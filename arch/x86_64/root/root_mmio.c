// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root's accesses to memory it does not own, after the vCPU layer
 * decoded the instruction: trapped MSI-X tables and MMCONFIG go to the PCI
 * filter, the IOAPIC pages to the emulated IOAPIC, the chipset's RCRB to
 * root_ich.c (reads pass, writes dropped, GCS.NO_REBOOT the root's own
 * watchdog's), the HPET's writes to its check (root/hpet.h); any other
 * address reads
 * as all ones and ignores writes (reported when it is another partition's
 * or the hypervisor's memory).
 */
#include "root/root.h"

int root_mmio(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val)
{
	uint32_t val32 = (uint32_t)*val;

	if (root_pci_msix(v, gpa, size, write, val) || root_rcrb_access(v, gpa, size, write, val) ||
	    root_hpet_access(v, gpa, size, write, val) ||
	    root_wdt_access(v, gpa, size, write, val) || root_reset_mmio(v, gpa, size, write, val))
		return 0;
	if (root_ioapic_access(v, gpa, size, write, &val32) ||
	    root_pci_mmcfg(v, gpa, size, write, &val32)) {
		if (!write)
			*val = val32;
		return 0;
	}
	root_denied_access(v, gpa, write);
	if (!write)
		*val = insn_ones(size);
	return 0;
}
