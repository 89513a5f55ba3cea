/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * void svm_run_loop(struct vcpu *v)
 * The SVM entry loop. Host callee-saved registers are saved once per loop,
 * not once per exit: nothing in C waits across a VMRUN. Entered with GIF
 * clear (svm_run): between a VMLOAD of the guest's state and VMRUN, and
 * between #VMEXIT and the VMLOAD of the host's, the CPU holds the guest's
 * GS base and TR, and no NMI may run host code on them.
 *  - Full entry: VMLOAD the guest's hidden state, load every guest GPR but
 *    RAX and RSP (those live in the VMCB), VMRUN.
 *  - On #VMEXIT: store RBX and the caller-saved GPRs, VMSAVE the guest's
 *    hidden state, VMLOAD the host's (GS base, TR, ...), call
 *    svm_exit_fast(v). The guest's RBP and R12-R15 are still in the CPU
 *    (the C calling convention keeps them).
 *  - 1: enter again at once, reloading only what C may have changed (the
 *    caller-saved GPRs and RBX, which CPUID writes).
 *  - 2: store RBP and R12-R15 too, call svm_exit_slow(v) (every GPR in
 *    struct guest_regs), and on 1 take the full entry.
 *  - 0: return.
 * Offsets follow struct vcpu and struct guest_regs (arch/x86_64/vcpu/vcpu.h):
 * the GPRs in instruction-encoding order, 8 bytes each, then the VMCB and
 * the host's VMLOAD area.
 */
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
#define V_VMCB 128
#define V_HOST 136

	.section .text
	.globl svm_run_loop
svm_run_loop:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi /* 0(%rsp): the vCPU */

.Lfull_entry:
	movq R_RBP(%rdi), %rbp
	movq R_R12(%rdi), %r12
	movq R_R13(%rdi), %r13
	movq R_R14(%rdi), %r14
	movq R_R15(%rdi), %r15
.Lentry:
	movq V_VMCB(%rdi), %rax
	vmload %rax
	movq R_RBX(%rdi), %rbx
	movq R_RCX(%rdi), %rcx
	movq R_RDX(%rdi), %rdx
	movq R_RSI(%rdi), %rsi
	movq R_R8(%rdi), %r8
	movq R_R9(%rdi), %r9
	movq R_R10(%rdi), %r10
	movq R_R11(%rdi), %r11
	movq R_RDI(%rdi), %rdi
	vmrun %rax

	pushq %rdi /* guest RDI; the vCPU pointer is now at 8(%rsp) */
	movq 8(%rsp), %rdi
	movq %rbx, R_RBX(%rdi)
	movq %rcx, R_RCX(%rdi)
	movq %rdx, R_RDX(%rdi)
	movq %rsi, R_RSI(%rdi)
	movq %r8, R_R8(%rdi)
	movq %r9, R_R9(%rdi)
	movq %r10, R_R10(%rdi)
	movq %r11, R_R11(%rdi)
	popq R_RDI(%rdi)
	movq V_VMCB(%rdi), %rax
	vmsave %rax
	movq V_HOST(%rdi), %rax
	vmload %rax
	call svm_exit_fast
	movq (%rsp), %rdi
	cmpl $1, %eax
	je .Lentry
	testl %eax, %eax
	jz .Lout

	movq %rbp, R_RBP(%rdi)
	movq %r12, R_R12(%rdi)
	movq %r13, R_R13(%rdi)
	movq %r14, R_R14(%rdi)
	movq %r15, R_R15(%rdi)
	call svm_exit_slow
	movq (%rsp), %rdi
	testl %eax, %eax
	jnz .Lfull_entry

.Lout:
	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
