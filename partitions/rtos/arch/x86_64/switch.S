/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Task context switch (callee-saved registers and RSP) and stack hand-over helpers. */

	.text
	.code64

/*
 * void arch_switch(uintptr_t *save_sp, uintptr_t load_sp): interrupts are
 * off on both sides; the caller-saved registers are already on the stack
 * by the C calling convention (or the interrupt entry).
 */
	.globl arch_switch
arch_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* A new task's first switch returns here with entry in R13 and its argument in R12. */
	.globl x86_task_start
x86_task_start:
	movq %r12, %rdi
	call *%r13
	ud2

/* void x86_call_on_stack(void *stack_top, void (*fn)(void *), void *arg) */
	.globl x86_call_on_stack
x86_call_on_stack:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	movq %rdx, %rdi
	call *%rsi
	ud2
