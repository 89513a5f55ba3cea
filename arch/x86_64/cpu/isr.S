/* SPDX-License-Identifier: GPL-2.0-only */
/* Exception and interrupt entry stubs: save all registers, call the C handler. */

	.altmacro
	.section .text
	.macro isr_noerr vec
	.balign 16
isr_\vec:
	pushq $0
	pushq $\vec
	jmp isr_common
	.endm

	.macro isr_err vec
	.balign 16
isr_\vec:
	pushq $\vec
	jmp isr_common
	.endm

	/* vectors that push an error code: 8 10 11 12 13 14 17 21 29 30 */
	isr_noerr 0
	isr_noerr 1
	isr_noerr 2
	isr_noerr 3
	isr_noerr 4
	isr_noerr 5
	isr_noerr 6
	isr_noerr 7
	isr_err 8
	isr_noerr 9
	isr_err 10
	isr_err 11
	isr_err 12
	isr_err 13
	isr_err 14
	isr_noerr 15
	isr_noerr 16
	isr_err 17
	isr_noerr 18
	isr_noerr 19
	isr_noerr 20
	isr_err 21
	isr_noerr 22
	isr_noerr 23
	isr_noerr 24
	isr_noerr 25
	isr_noerr 26
	isr_noerr 27
	isr_noerr 28
	isr_err 29
	isr_err 30
	isr_noerr 31
	.set v, 32
	.rept 224
	isr_noerr %v
	.set v, v + 1
	.endr

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
	call x86_exception
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

	.section .rodata
	.balign 8
	.macro isr_ptr vec
	.quad isr_\vec
	.endm
	.globl isr_table
isr_table:
	.set v, 0
	.rept 256
	isr_ptr %v
	.set v, v + 1
	.endr
