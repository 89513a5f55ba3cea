/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Start-up code of the application processors. Copied by the boot CPU to a
 * page below 1 MiB; a SIPI starts an AP there in real mode (CS = page >> 4,
 * IP = 0). It goes through protected mode to long mode with the
 * hypervisor's page tables and jumps to ap_entry64 with the per-CPU stack.
 * The parameter block at the end is filled in by smp.c before each start.
 */
#include "arch/x86_defs.h"

#define TR(sym) ((sym) - trampoline_start)
#define X86_CR0_PE 0x00000001
#define X86_CR0_PG 0x80000000
#define X86_CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

	.section .text
	.balign 16
	.globl trampoline_start, trampoline_end
	.globl tr_gdt_desc, tr_far32, tr_far64, tr_cr3, tr_efer, tr_stack, tr_percpu, tr_entry, tr_started
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	xorl %ebx, %ebx
	movw %ax, %bx
	shll $4, %ebx /* EBX = linear address of the trampoline */
	movl $1, TR(tr_started)
	lgdtl TR(tr_gdt_desc)
	movl %cr0, %eax
	orl $X86_CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *TR(tr_far32)

	.code32
tr_pm32:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl TR(tr_cr3)(%ebx), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl TR(tr_efer)(%ebx), %eax /* LME, and NXE where the CPU has NX */
	wrmsr
	movl %cr0, %eax
	orl $X86_CR0_PG, %eax
	movl %eax, %cr0
	ljmpl *TR(tr_far64)(%ebx)

	.code64
tr_lm64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movq TR(tr_stack)(%rbx), %rsp
	movq TR(tr_percpu)(%rbx), %rdi
	movq TR(tr_entry)(%rbx), %rax
	jmpq *%rax

	.balign 16
tr_gdt:
	.quad 0
	.quad GDT_DESC_CODE32 /* 0x08: 32-bit code */
	.quad GDT_DESC_DATA /* 0x10: data */
	.quad GDT_DESC_CODE64 /* 0x18: 64-bit code */
tr_gdt_end:
	.balign 8
tr_gdt_desc:
	.short tr_gdt_end - tr_gdt - 1
	.long 0 /* patched: linear address of tr_gdt */
	.balign 8
tr_far32:
	.long 0 /* patched: linear address of tr_pm32 */
	.short 0x08
	.balign 8
tr_far64:
	.long 0 /* patched: linear address of tr_lm64 */
	.short 0x18
	.balign 8
tr_cr3:
	.quad 0
tr_efer:
	.quad 0
tr_stack:
	.quad 0
tr_percpu:
	.quad 0
tr_entry:
	.quad 0
tr_started:
	.long 0
trampoline_end:

	.globl tr_off_gdt, tr_off_pm32, tr_off_lm64
	.section .rodata
	.balign 8
tr_off_gdt:
	.quad tr_gdt - trampoline_start
tr_off_pm32:
	.quad tr_pm32 - trampoline_start
tr_off_lm64:
	.quad tr_lm64 - trampoline_start
