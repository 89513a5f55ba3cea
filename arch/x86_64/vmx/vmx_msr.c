// SPDX-License-Identifier: GPL-2.0-only
/* Reads this CPU's VMX capability MSRs for vmx_setup_compute() (vmx/vmx_caps.h). */
#include "vmx/vmx_caps.h"
#include "arch/x86.h"

#define PROC_SECONDARY (1ULL << (32 + 31))
#define PROC2_EPT      (1ULL << (32 + 1))
#define PROC2_VPID     (1ULL << (32 + 5))

void vmx_caps_read(struct vmx_caps_in *in)
{
	*in = (struct vmx_caps_in){
		.basic = rdmsr(0x480),
		.pin = rdmsr(0x481),
		.proc = rdmsr(0x482),
		.exit = rdmsr(0x483),
		.entry = rdmsr(0x484),
		.cr0_fixed0 = rdmsr(0x486),
		.cr0_fixed1 = rdmsr(0x487),
		.cr4_fixed0 = rdmsr(0x488),
		.cr4_fixed1 = rdmsr(0x489),
	};
	/* each further MSR exists only when what it describes can be on */
	if (in->proc & PROC_SECONDARY) {
		in->proc2 = rdmsr(0x48b);
		if (in->proc2 & (PROC2_EPT | PROC2_VPID))
			in->ept_vpid = rdmsr(0x48c);
	}
	if (in->basic & (1ULL << 55)) {
		in->true_pin = rdmsr(0x48d);
		in->true_proc = rdmsr(0x48e);
		in->true_exit = rdmsr(0x48f);
		in->true_entry = rdmsr(0x490);
	}
}
