/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Image entry points: the Multiboot2 header and 32-bit entry (GRUB, or a
 * Bulkhead 32-bit start), the 64-bit ELF entry (Bulkhead's 64-bit start),
 * our own GDT and identity page tables, and the per-CPU entry tickets.
 */
#include "x86/defs.h"

/* ---- Multiboot2 header: must lie in the first 32 KiB of the file, 8-byte aligned ---- */
	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header)) & 0xffffffff
	/* entry address tag: GRUB jumps here in 32-bit protected mode, not to e_entry */
	.balign 8
	.word MB2_HEADER_TAG_ENTRY, 0
	.long 12
	.long entry32
	.balign 8
	.word MB2_HEADER_TAG_END, 0
	.long 8
mb2_header_end:

	.section .text.entry, "ax"

/*
 * ELF e_entry. Bulkhead's 64-bit start arrives here in long mode with
 * RAX = BH_GUEST_MAGIC32 and RDI = struct bh_guest_info. include/bulkhead/
 * guest.h does not say where a 32-bit start of an ELF64 enters, so the first
 * bytes decode the same in both modes except 0x40: "inc %eax" in 32-bit
 * mode, an empty REX prefix in 64-bit mode. That tells the two apart.
 */
	.code64
	.globl entry64
entry64:
	movl %eax, %ecx		/* 89 c1 in both modes */
	xorl %eax, %eax		/* 31 c0 */
	.byte 0x40		/* 32-bit: inc %eax; 64-bit: REX prefix of the nop */
	nop			/* 90 */
	testl %eax, %eax	/* 85 c0 */
	jz 1f			/* 74 rel8: taken in 64-bit mode */
	.code32
	movl %ecx, %eax		/* 32-bit start: EAX = magic, EBX = info, as for GRUB */
	jmp entry32
	.code64
1:	cli
	cld
	movq %rdi, %rsi		/* info */
	movl %ecx, %edi		/* magic */
	movl $1, %ecx
	lock xaddl %ecx, cpu_ticket(%rip)
	movl %ecx, %ebp		/* EBP = ticket */
	cmpl $ENTRY_CPUS_MAX, %ecx
	jae x86_park
	testl %ecx, %ecx
	jnz 3f

	/* First CPU in: clear .bss (stacks and tables included), build the page tables. */
	leaq __bss_start(%rip), %rdx
	leaq __bss_end(%rip), %rcx
2:	cmpq %rcx, %rdx
	jae 2f
	movq $0, (%rdx)
	addq $8, %rdx
	jmp 2b
2:	leaq pdpt(%rip), %rax
	orq $(PTE_P | PTE_RW), %rax
	movq %rax, pml4(%rip)
	leaq pdpt(%rip), %rdx
	leaq pd(%rip), %rax
	orq $(PTE_P | PTE_RW), %rax
	xorl %ecx, %ecx
2:	movq %rax, (%rdx, %rcx, 8)
	addq $4096, %rax
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	leaq pd(%rip), %rdx
	xorl %ecx, %ecx
2:	movq %rcx, %rax
	shlq $21, %rax
	orq $(PTE_P | PTE_RW | PTE_PS), %rax
	cmpl $PD_FIRST_UNCACHED, %ecx
	jb 4f
	orq $(PTE_PCD | PTE_PWT), %rax
4:	movq %rax, (%rdx, %rcx, 8)
	incl %ecx
	cmpl $PD_ENTRIES_4G, %ecx
	jb 2b
	movl $1, tables_ready(%rip)
	jmp 5f
3:	pause
	cmpl $0, tables_ready(%rip)
	je 3b

5:	/* A stack of our own, then our tables and GDT (the far return reloads CS). */
	movl %ebp, %eax
	incq %rax
	shlq $ENTRY_STACK_SHIFT, %rax
	leaq entry_stacks(%rip), %rsp
	addq %rax, %rsp
	leaq pml4(%rip), %rax
	movq %rax, %cr3
	lgdt gdt_ptr(%rip)
	pushq $GDT_CODE64
	leaq common64(%rip), %rax
	pushq %rax
	lretq

/* Multiboot2 entry: EAX = 0x36d76289 and EBX = MB2 info, or EAX = BH magic and EBX = bh_guest_info. */
	.code32
	.globl entry32
entry32:
	cli
	cld
	movl %eax, %edi		/* magic */
	movl %ebx, %esi		/* info */
	movl $1, %ecx
	lock xaddl %ecx, cpu_ticket
	movl %ecx, %ebp		/* ticket */
	cmpl $ENTRY_CPUS_MAX, %ecx
	jae park32
	testl %ecx, %ecx
	jnz 3f

	movl $__bss_start, %edx
2:	cmpl $__bss_end, %edx
	jae 2f
	movl $0, (%edx)
	addl $4, %edx
	jmp 2b
2:	movl $(pdpt + PTE_P + PTE_RW), pml4
	movl $pdpt, %edx
	movl $(pd + PTE_P + PTE_RW), %eax
	xorl %ecx, %ecx
2:	movl %eax, (%edx, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	movl $pd, %edx
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_RW | PTE_PS), %eax
	cmpl $PD_FIRST_UNCACHED, %ecx
	jb 4f
	orl $(PTE_PCD | PTE_PWT), %eax
4:	movl %eax, (%edx, %ecx, 8)	/* the high half stays 0 from the .bss clear */
	incl %ecx
	cmpl $PD_ENTRIES_4G, %ecx
	jb 2b
	movl $1, tables_ready
	jmp 5f
3:	pause
	cmpl $0, tables_ready
	je 3b

5:	/* Long mode (SDM Vol. 3A 9.8.5): PAE, CR3, EFER.LME, then paging. */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	lgdt gdt_ptr
	ljmp $GDT_CODE64, $from32

park32:
	cli
	hlt
	jmp park32

	.code64
from32:
	movl %edi, %edi		/* zero-extend magic and info */
	movl %esi, %esi
	movl %ebp, %eax
	incl %eax
	shll $ENTRY_STACK_SHIFT, %eax
	leaq entry_stacks(%rip), %rsp
	addq %rax, %rsp
	/* fall through */

/* Both ways in end here: EDI = magic, RSI = info, EBP = ticket, RSP = this CPU's entry stack. */
common64:
	movl $GDT_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl %ebp, %edx
	xorl %ebp, %ebp
	call x86_entry
	/* x86_entry does not return */

	.globl x86_park
x86_park:
	cli
	hlt
	jmp x86_park

/* ---- data the entry code needs before .bss is cleared ---- */
	.section .data
	.balign 16
	.globl x86_gdt
x86_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 (SDM Vol. 3A 3.4.5) */
	.quad 0x00cf92000000ffff	/* 0x10: flat data */
	.quad 0, 0			/* 0x18: TSS, filled in by desc_init() */
x86_gdt_end:
gdt_ptr:
	.word x86_gdt_end - x86_gdt - 1
	.quad x86_gdt

	.balign 4
cpu_ticket:
	.long 0
tables_ready:
	.long 0

	.section .bss
	.balign 4096
pml4:
	.skip 4096
pdpt:
	.skip 4096
pd:
	.skip 4096 * 4
	.balign 16
entry_stacks:
	.skip ENTRY_CPUS_MAX << ENTRY_STACK_SHIFT
