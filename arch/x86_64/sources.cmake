# SPDX-License-Identifier: GPL-2.0-only
# arch/x86_64/: CPU bring-up, ACPI, APIC, SMP, console UART.
bh_sources(X86_SHARED acpi.c insn.c guest_walk.c linux_boot.c madt_patch.c pci_filter.c vdev.c)
bh_sources(X86_HV cpu.c isr.S uart.c time.c apic.c virt.c paging.c smp.c trampoline.S ap_entry.S platform.c
	stage2.c svm.c svm_entry.S part.c vapic.c linux_root.c root_emul.c root_pci.c)
