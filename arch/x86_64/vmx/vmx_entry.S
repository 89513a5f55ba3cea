/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * int vmx_enter(struct vcpu *v, uint32_t launched, const volatile uint32_t *kick,
 *               const volatile uint32_t *state, uint32_t running)
 * One VM entry of the VMX back end (vmx/vmx.c loops around it). Saves the
 * host's callee-saved GPRs, points the VMCS's host RSP at them, loads every
 * guest GPR but RSP (RSP and RIP live in the VMCS) and runs VMLAUNCH (first
 * entry) or VMRESUME. The VM exit lands at vmx_exit_entry (the VMCS's host
 * RIP) with the host RSP set here: the guest's GPRs go to struct guest_regs.
 * Returns 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed (the VMCS's
 * VM-instruction error says why), 2 when the vCPU was kicked or its
 * partition stopped before the entry.
 *
 * The kick and stop signal is an NMI, and VMX root operation takes an NMI
 * at once (SVM holds it while GIF is clear): one that arrives between the
 * last look at *kick and the entry would be spent in the host and the guest
 * entered anyway. So the look happens inside [vmx_window_start,
 * vmx_window_end), and the host's NMI handler resumes an NMI that hit in
 * there at vmx_window_abort (cpu_nmi_window() in cpu/cpu.c): the caller
 * looks again.
 * Offsets follow struct vcpu and struct guest_regs (arch/x86_64/vcpu/vcpu.h).
 */
#define R_RAX 0
#define R_RCX 8
#define R_RDX 16
#define R_RBX 24
#define R_RBP 40
#define R_RSI 48
#define R_RDI 56
#define R_R8 64
#define R_R9 72
#define R_R10 80
#define R_R11 88
#define R_R12 96
#define R_R13 104
#define R_R14 112
#define R_R15 120
#define VMCS_HOST_RSP 0x6c14

	.section .text
	.globl vmx_enter
	.globl vmx_exit_entry
	.globl vmx_window_start
	.globl vmx_window_end
	.globl vmx_window_abort
vmx_enter:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi /* 0(%rsp): the vCPU, where the VM exit finds it */
	movl $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
vmx_window_start:
	cmpl $0, (%rdx)
	jne vmx_window_abort
	cmpl %r8d, (%rcx)
	jne vmx_window_abort
	testl %esi, %esi /* the flags carry "launched" through the loads below */
	movq R_RAX(%rdi), %rax
	movq R_RCX(%rdi), %rcx
	movq R_RDX(%rdi), %rdx
	movq R_RBX(%rdi), %rbx
	movq R_RBP(%rdi), %rbp
	movq R_RSI(%rdi), %rsi
	movq R_R8(%rdi), %r8
	movq R_R9(%rdi), %r9
	movq R_R10(%rdi), %r10
	movq R_R11(%rdi), %r11
	movq R_R12(%rdi), %r12
	movq R_R13(%rdi), %r13
	movq R_R14(%rdi), %r14
	movq R_R15(%rdi), %r15
	movq R_RDI(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp 2f
1:	vmresume
vmx_window_end:
2:	movl $1, %eax /* VMfailValid or VMfailInvalid: the host's GPRs come back from the stack */
	jmp .Lout
vmx_window_abort:
	movl $2, %eax
	jmp .Lout

vmx_exit_entry:
	pushq %rdi /* the guest's RDI; the vCPU is now at 8(%rsp) */
	movq 8(%rsp), %rdi
	movq %rax, R_RAX(%rdi)
	movq %rcx, R_RCX(%rdi)
	movq %rdx, R_RDX(%rdi)
	movq %rbx, R_RBX(%rdi)
	movq %rbp, R_RBP(%rdi)
	movq %rsi, R_RSI(%rdi)
	movq %r8, R_R8(%rdi)
	movq %r9, R_R9(%rdi)
	movq %r10, R_R10(%rdi)
	movq %r11, R_R11(%rdi)
	movq %r12, R_R12(%rdi)
	movq %r13, R_R13(%rdi)
	movq %r14, R_R14(%rdi)
	movq %r15, R_R15(%rdi)
	popq R_RDI(%rdi)
	xorl %eax, %eax
.Lout:
	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
