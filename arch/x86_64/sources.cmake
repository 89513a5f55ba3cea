# SPDX-License-Identifier: GPL-2.0-only
# arch/x86_64/, one line per room (docs/architecture.md "Rooms"):
#   cpu/       the host CPU: descriptors, exceptions, APIC, time, paging, SMP, UART, VMX/SVM detection
#   platform/  firmware discovery: ACPI, the PCI scan, the machine report
#   vcpu/      the vendor-neutral x86 vCPU layer
#   svm/       only what is AMD SVM
#   vmx/       only what is Intel VMX
#   root/      the PC around the Linux root
#   setup.c    the composition root: platform bring-up, then the back end chosen once
# X86_SHARED also builds for the host (unit tests, fuzzers); X86_HV only in the image.
bh_sources(X86_SHARED platform/acpi.c vcpu/insn.c vcpu/guest_walk.c root/linux_boot.c
	root/madt_patch.c root/pci_filter.c root/vdev.c root/rport.c root/ich.c platform/chipset.c root/hpet.c
	vcpu/vipi.c vmx/vmx_caps.c vmx/vmx_fmt.c)
# the generic exit handlers: in the image, and in test/unit/vcpu with a fake back end
bh_sources(X86_VCPU_GENERIC vcpu/exits.c vcpu/emul.c vcpu/lvt.c)
set(X86_HV ${X86_HV} ${X86_VCPU_GENERIC})
bh_sources(X86_HV setup.c)
bh_sources(X86_HV cpu/cpu.c cpu/isr.S cpu/uart.c cpu/time.c cpu/apic.c cpu/virt.c cpu/paging.c
	cpu/smp.c cpu/trampoline.S cpu/ap_entry.S cpu/idle.c cpu/string.S cpu/extable.c)
bh_sources(X86_HV platform/platform.c)
bh_sources(X86_HV vcpu/vcpu.c vcpu/part.c vcpu/ipi.c vcpu/intercept.c vcpu/boot_state.c
	vcpu/stage2.c vcpu/vapic.c)
bh_sources(X86_HV svm/svm.c svm/svm_entry.S)
bh_sources(X86_HV vmx/vmx_msr.c vmx/vmx.c vmx/vmx_entry.S)
bh_sources(X86_HV root/linux_root.c root/root_emul.c root/root_pci.c root/root_mmio.c
	root/restart.c root/root_ich.c)
