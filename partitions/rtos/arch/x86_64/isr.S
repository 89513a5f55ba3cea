/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Interrupt entry: the timer vector (latency-critical: it reads the TSC
 * before anything else), the spurious vector, and one 16-byte stub per
 * vector for exceptions and unexpected interrupts.
 */
#include "x86/defs.h"

	.text
	.code64

/*
 * Timer: the TSC is read after saving only the two registers RDTSC
 * clobbers; the scheduler may switch tasks inside x86_timer_interrupt, in
 * which case this frame waits on the preempted task's stack. 64-bit
 * interrupt delivery aligns RSP to 16 before its 5-word frame; 9 pushes
 * leave it 16-byte aligned for the call.
 */
	.globl x86_timer_isr
x86_timer_isr:
	pushq %rax
	pushq %rdx
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	pushq %rcx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	movq %rax, %rdi
	cld
	call x86_timer_interrupt
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rcx
	popq %rdx
	popq %rax
	iretq

/* The APIC's spurious vector takes no EOI (SDM Vol. 3A 11.9). */
	.globl x86_spurious_isr
x86_spurious_isr:
	incq x86_spurious_count(%rip)
	iretq

/* Stub N pushes a 0 error code where the CPU pushes none (SDM Vol. 3A 6.13), then N. */
	.balign 16
	.globl x86_isr_stubs
x86_isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

/* Builds struct x86_trap_frame (desc.c): 15 GPRs below the vector and error code. */
isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	call x86_trap
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .bss
	.balign 8
	.globl x86_spurious_count
x86_spurious_count:
	.skip 8
