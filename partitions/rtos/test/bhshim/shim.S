/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Test shim entry: a Multiboot2 kernel that GRUB starts in 32-bit mode; it
 * enters long mode for shim_main(), which loads the RTOS module and starts
 * it the way include/bulkhead/guest.h describes (shim_start64/32 below).
 */
#include "x86/defs.h"

#define SHIM_CODE32 0x18
#define SHIM_STACK_SIZE 16384

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header)) & 0xffffffff
	.balign 8
	.word MB2_HEADER_TAG_ENTRY, 0
	.long 12
	.long shim_entry32
	.balign 8
	.word MB2_HEADER_TAG_END, 0
	.long 8
mb2_header_end:

	.text
	.code32
	.globl shim_entry32
shim_entry32:
	cli
	cld
	movl %ebx, %esi
	/* identity map of 0-4 GiB with 2 MiB pages, like Bulkhead's 64-bit start */
	movl $(shim_pdpt + PTE_P + PTE_RW), shim_pml4
	movl $shim_pdpt, %edx
	movl $(shim_pd + PTE_P + PTE_RW), %eax
	xorl %ecx, %ecx
1:	movl %eax, (%edx, %ecx, 8)
	movl $0, 4(%edx, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jb 1b
	movl $shim_pd, %edx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_RW | PTE_PS), %eax
	movl %eax, (%edx, %ecx, 8)
	movl $0, 4(%edx, %ecx, 8)
	incl %ecx
	cmpl $PD_ENTRIES_4G, %ecx
	jb 1b
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $shim_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	lgdt shim_gdt_ptr
	ljmp $GDT_CODE64, $1f
	.code64
1:	movl $GDT_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	leaq shim_stack_top(%rip), %rsp
	movl %esi, %edi
	call shim_main
2:	cli
	hlt
	jmp 2b

/* void shim_start64(uint64_t entry, uint64_t info): guest.h's 64-bit start, RSP = 0. */
	.globl shim_start64
shim_start64:
	movq %rdi, %rcx
	movq %rsi, %rdi
	movl $BH_MAGIC32, %eax
	pushq $0x2
	popfq
	xorl %esp, %esp
	jmp *%rcx

/* void shim_start32(uint32_t entry, uint32_t info): back to protected mode, paging off. */
	.globl shim_start32
shim_start32:
	pushq $SHIM_CODE32
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
	.code32
1:	movl %cr0, %eax
	andl $~CR0_PG, %eax
	movl %eax, %cr0
	movl $MSR_EFER, %ecx
	rdmsr
	andl $~EFER_LME, %eax
	wrmsr
	movl %esi, %ebx
	movl $BH_MAGIC32, %eax
	xorl %esp, %esp
	jmp *%edi

	.section .data
	.balign 16
shim_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: flat data */
	.quad 0x00cf9a000000ffff	/* 0x18: flat 32-bit code */
shim_gdt_end:
shim_gdt_ptr:
	.word shim_gdt_end - shim_gdt - 1
	.quad shim_gdt

	.section .bss
	.balign 4096
shim_pml4:
	.skip 4096
shim_pdpt:
	.skip 4096
shim_pd:
	.skip 4096 * 4
	.balign 16
	.skip SHIM_STACK_SIZE
shim_stack_top:
