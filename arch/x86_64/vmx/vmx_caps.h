/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX controls Bulkhead runs with, computed from the CPU's capability
 * MSRs (Intel SDM vol. 3D, appendix A): the TRUE_* control MSRs when
 * IA32_VMX_BASIC bit 55 says they exist, every control checked against its
 * allowed-0 (low word: must be 1) and allowed-1 (high word: may be 1)
 * settings. A control Bulkhead cannot do without is named when it is
 * missing; an optional one is left out; a control the CPU forces on that
 * would add exits is reported. Pure: the values come in, no MSR is read
 * here (vmx_caps_read() in the image does that); unit tested.
 */
#ifndef VMX_CAPS_H
#define VMX_CAPS_H

#include "core/types.h"

/* The capability MSRs (IA32_VMX_BASIC 0x480 ... IA32_VMX_TRUE_ENTRY_CTLS 0x490). */
struct vmx_caps_in {
	uint64_t basic;			 /* 0x480 */
	uint64_t pin, proc, exit, entry; /* 0x481-0x484 */
	uint64_t cr0_fixed0, cr0_fixed1; /* 0x486, 0x487 */
	uint64_t cr4_fixed0, cr4_fixed1; /* 0x488, 0x489 */
	uint64_t proc2;			 /* 0x48b (0 when secondary controls cannot be on) */
	uint64_t ept_vpid;		 /* 0x48c (0 without EPT or VPID) */
	uint64_t true_pin, true_proc, true_exit; /* 0x48d-0x48f (read when BASIC bit 55 is set) */
	uint64_t true_entry;			 /* 0x490 */
};

/* What to write into the VMCS's control fields, and what the CPU offers beyond. */
struct vmx_setup {
	uint32_t revision;  /* VMCS revision identifier (BASIC bits 30:0) */
	uint32_t vmcs_size; /* bytes (BASIC bits 44:32) */
	bool true_ctls;	    /* the TRUE_* MSRs were used */
	uint32_t pin, proc, proc2, exit, entry;
	/* IA-32e mode guest (entry control 9) may be set: the caller sets it with EFER.LMA */
	uint32_t entry_ia32e;
	bool vpid;	     /* VPIDs with INVVPID (single-context or all-context) */
	bool ept_2m, ept_1g; /* large EPT leaves the CPU allows */
	bool invept_single;  /* single-context INVEPT; else all-context */
	bool invvpid_single; /* single-context INVVPID; else all-context */
	/* exits the CPU forces on (allowed-0) that Bulkhead does not want: one line, "" for none */
	char forced[96];
	/* a guest's CR0/CR4: bits that must be 1 and bits that may be 1 (PE and PG free: unrestricted guest) */
	uint64_t guest_cr0_must1, guest_cr0_may1, guest_cr4_must1, guest_cr4_may1;
};

/*
 * Fills *out from *in: 0; or -HV_ENODEV with why naming the first missing
 * control or EPT capability ("VMX: unrestricted guest (secondary
 * processor-based control 7) is not available").
 */
int vmx_setup_compute(const struct vmx_caps_in *in, struct vmx_setup *out, char *why,
		      size_t why_len);

/* Reads the capability MSRs of this CPU (the image only). */
void vmx_caps_read(struct vmx_caps_in *in);

/*
 * IA32_FEATURE_CONTROL (0x3a) before VMXON: VMX_FC_READY when it is locked
 * with VMX outside SMX on; VMX_FC_LOCK when the firmware left it unlocked
 * (write *write: lock plus VMX outside SMX); VMX_FC_LOCKED_OFF when it is
 * locked with VMX outside SMX off (a firmware setting: VMX cannot be used).
 */
enum vmx_fc { VMX_FC_READY, VMX_FC_LOCK, VMX_FC_LOCKED_OFF };
enum vmx_fc vmx_feature_control(uint64_t fc, uint64_t *write);

/* A control register as VMX operation needs it: the fixed-1 bits set, the fixed-0 bits clear. */
static inline uint64_t vmx_fix_cr(uint64_t cr, uint64_t fixed0, uint64_t fixed1)
{
	return (cr | fixed0) & fixed1;
}

/*
 * VMX operation on this CPU (the image only): IA32_FEATURE_CONTROL locked
 * if need be, CR0/CR4 fixed bits and CR4.VMXE, VMXON on a fresh region
 * carrying the VMCS revision. 0, or -HV_E* with why filled.
 */
struct vmx_on_state {
	uint64_t region;   /* the VMXON region (a pool page) */
	uint64_t cr0, cr4; /* as they were before */
	bool locked_here;  /* Bulkhead locked IA32_FEATURE_CONTROL */
};
int vmx_on(const struct vmx_caps_in *in, struct vmx_on_state *st, char *why, size_t why_len);
/* Leaves VMX operation and restores CR0/CR4. */
void vmx_off(const struct vmx_on_state *st);

#endif
