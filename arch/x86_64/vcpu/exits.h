/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dispatcher of the generic exit handlers, for the back ends' exit
 * paths: CPUID and hypercalls, the exits of an RT partition and the ones the
 * exit-cost gate measures, are dispatched inline; everything else goes to
 * vcpu_handle_exit_slow() in vcpu/exits.c. One policy either way: the CPUID
 * policy lives here and nowhere else.
 */
#ifndef VCPU_EXITS_H
#define VCPU_EXITS_H

#include <bulkhead/guest.h>
#include <bulkhead/hypercall.h>

#include "vcpu/vcpu.h"
#include "arch/x86.h"
#include "arch/x86_defs.h"

/*
 * The fast exits (CPUID, hypercalls) read and write only RAX, RBX and the
 * caller-saved GPRs, so a back end may leave RBP and R12-R15 in the CPU
 * (the C calling convention keeps them) and out of struct guest_regs.
 */

/*
 * The CPUID policy: hypervisor leaves, no VMX/SVM/MCE/MCA, x2APIC only where
 * the APIC has it, OSXSAVE and OSPKE as the guest's CR4 (guest_cr4) says.
 * The back ends' CPUID fast paths pass CR4 from their control block, so the
 * path makes no call.
 */
static inline void vcpu_cpuid_policy(struct vcpu *v, uint64_t guest_cr4)
{
	uint64_t *r = v->regs.gpr;
	uint32_t leaf = (uint32_t)r[INSN_RAX];
	uint64_t a, b, c, d; /* CPUID zero-extends its 32-bit results */

	if ((leaf & 0xffffff00u) == 0x40000000u) {
		a = b = c = d = 0;
		if (leaf == BH_CPUID_LEAF_BASE) {
			a = BH_CPUID_LEAF_INFO;
			b = BH_CPUID_SIG_EBX;
			c = BH_CPUID_SIG_ECX;
			d = BH_CPUID_SIG_EDX;
		} else if (leaf == BH_CPUID_LEAF_INFO) {
			a = BH_HYPERCALL_ABI_VERSION;
			b = v->part->id;
			c = (uint32_t)v->part->tsc_khz;
			d = v->index;
		}
	} else {
		__asm__ volatile("cpuid"
				 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(leaf), "c"(r[INSN_RCX]));
		if (leaf == 1) {
			c &= ~(CPUID1_ECX_VMX | CPUID1_ECX_OSXSAVE);
			c |= CPUID1_ECX_HYPERVISOR;
			/* OSXSAVE mirrors CR4.OSXSAVE: the guest's, not the host's that ran CPUID */
			if (guest_cr4 & CR4_OSXSAVE)
				c |= CPUID1_ECX_OSXSAVE;
			if (!v->x2apic)
				c &= ~CPUID1_ECX_X2APIC; /* this CPU's APIC stays in xAPIC mode */
			/* machine checks belong to the hypervisor: no MCE/MCA banks for guests */
			d &= ~(CPUID1_EDX_MCE | CPUID1_EDX_MCA);
		} else if (leaf > 0x80000000u) { /* most leaves pass with one compare more */
			if (leaf == 0x80000001u)
				c &= ~CPUID81_ECX_SVM;
			else if (leaf == CPUID_LEAF_SVM)
				a = b = c = d = 0;
		} else if (leaf == 7 && (uint32_t)r[INSN_RCX] == 0) {
			/* OSPKE mirrors CR4.PKE likewise */
			c &= ~CPUID7_ECX_OSPKE;
			if (guest_cr4 & CR4_PKE)
				c |= CPUID7_ECX_OSPKE;
		}
	}
	r[INSN_RAX] = a;
	r[INSN_RBX] = b;
	r[INSN_RCX] = c;
	r[INSN_RDX] = d;
}

/* The CPUID policy with the guest's CR4 asked from the back end. */
static inline void vcpu_cpuid_emulate(struct vcpu *v)
{
	vcpu_cpuid_policy(v, vcpu_backend->get(v, VREG_CR4));
}

/* A CPUID exit: the policy's answer in RAX, RBX, RCX and RDX, RIP past the instruction. */
static inline void vcpu_exit_cpuid(struct vcpu *v, unsigned insn_len)
{
	vcpu_cpuid_emulate(v);
	vcpu_skip(v, insn_len);
}

/* A hypercall: the arguments from the GPRs to the core's dispatcher, the result to RAX. */
static inline void vcpu_exit_hypercall(struct vcpu *v, unsigned insn_len)
{
	uint64_t *r = v->regs.gpr; /* caller-saved GPRs only: see the back ends' fast paths */
	struct hc_args a = {
		.nr = r[INSN_RAX],
		.a0 = r[INSN_RDI],
		.a1 = r[INSN_RSI],
		.a2 = r[INSN_RDX],
		.a3 = r[INSN_R10],
	};

	r[INSN_RAX] = (uint64_t)hypercall_dispatch(v->part, v->index, &a);
	vcpu_skip(v, insn_len);
}

/*
 * The exits whose handlers touch no GPR but RAX, RBX and the caller-saved
 * ones (port I/O, string I/O included, uses RCX, RSI, RDI; MSRs RCX, RAX,
 * RDX), so a back end may handle them without storing RBP and R12-R15.
 * Stage-2 faults are not among them: MMIO emulation may use any register.
 */
static inline bool vcpu_exit_fast_kind(enum vexit_kind k)
{
	return k == VEXIT_CPUID || k == VEXIT_HYPERCALL || k == VEXIT_IO || k == VEXIT_MSR_READ ||
	       k == VEXIT_MSR_WRITE || k == VEXIT_NMI || k == VEXIT_INIT || k == VEXIT_INTR;
}

/* Handles one decoded exit of v: counts it, re-queues an interrupted event, dispatches. */
static inline void vcpu_handle_exit(struct vcpu *v, const struct vexit *e)
{
	if (!e->interrupted.valid) {
		if (e->kind == VEXIT_CPUID) {
			v->exits[VEXIT_CPUID]++;
			vcpu_exit_cpuid(v, e->insn_len);
			return;
		}
		if (e->kind == VEXIT_HYPERCALL) {
			v->exits[VEXIT_HYPERCALL]++;
			vcpu_exit_hypercall(v, e->insn_len);
			return;
		}
	}
	vcpu_handle_exit_slow(v, e);
}

#endif
