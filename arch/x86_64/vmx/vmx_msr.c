// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hardware side of vmx/vmx_caps.h: reading this CPU's VMX capability
 * MSRs, and entering and leaving VMX operation (Intel SDM vol. 3C, 24.7 and
 * 24.8: IA32_FEATURE_CONTROL, the fixed CR0/CR4 bits, VMXON's region).
 */
#include "vmx/vmx_caps.h"
#include "arch/x86.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/palloc.h"

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

int vmx_on(const struct vmx_caps_in *in, struct vmx_on_state *st, char *why, size_t why_len)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL), w;
	uint8_t failed;

	memset(st, 0, sizeof(*st));
	switch (vmx_feature_control(fc, &w)) {
	case VMX_FC_LOCKED_OFF:
		snprintf(why, why_len,
			 "VMX: IA32_FEATURE_CONTROL 0x%llx is locked with VMX outside SMX off (a "
			 "firmware setting: enable VT-x there)",
			 (unsigned long long)fc);
		return -HV_ENODEV;
	case VMX_FC_LOCK:
		if (wrmsr_safe(MSR_IA32_FEATURE_CONTROL, w) < 0) {
			snprintf(why, why_len,
				 "VMX: IA32_FEATURE_CONTROL 0x%llx could not be locked",
				 (unsigned long long)fc);
			return -HV_EIO;
		}
		st->locked_here = true;
		break;
	case VMX_FC_READY:
		break;
	}
	st->region = palloc_alloc(1, 1);
	if (!st->region) {
		snprintf(why, why_len, "VMX: no page for the VMXON region");
		return -HV_ENOMEM;
	}
	memset((void *)(uintptr_t)st->region, 0, PAGE_SIZE);
	*(volatile uint32_t *)(uintptr_t)st->region = (uint32_t)(in->basic & 0x7fffffffu);
	st->cr0 = read_cr0();
	st->cr4 = read_cr4();
	write_cr0(vmx_fix_cr(st->cr0, in->cr0_fixed0, in->cr0_fixed1));
	write_cr4(vmx_fix_cr(st->cr4 | CR4_VMXE, in->cr4_fixed0, in->cr4_fixed1));
	/* VMXON: CF set = VMfailInvalid (no VMCS to hold an error number) */
	__asm__ volatile("vmxon %1; setna %0" : "=q"(failed) : "m"(st->region) : "cc", "memory");
	if (failed) {
		write_cr4(st->cr4);
		write_cr0(st->cr0);
		palloc_free(st->region, 1);
		st->region = 0;
		snprintf(why, why_len, "VMX: VMXON failed");
		return -HV_EIO;
	}
	return 0;
}

void vmx_off(const struct vmx_on_state *st)
{
	__asm__ volatile("vmxoff" ::: "cc", "memory");
	write_cr4(st->cr4);
	write_cr0(st->cr0);
	palloc_free(st->region, 1);
}
