/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor entry points: the Multiboot2 header and 32-bit entry (GRUB, BIOS
 * or UEFI), the 64-bit entry used by Bulkhead's own UEFI loader, the boot page
 * tables (identity map of the first 4 GiB in 2 MiB pages), boot GDT and stack.
 */
#include "boot/mb2.h"

#define X86_CR0_PE 0x00000001
#define X86_CR0_PG 0x80000000
#define X86_CR4_PAE 0x00000020
#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100
#define COM1 0x3f8
#define BOOT_STACK_SIZE 16384
#define PTE_P_RW 0x003
#define PDE_2M 0x083 /* present, writable, page size */

/* --- Multiboot2 header (spec 3.1) ---------------------------------------- */
	.section .mb2_header, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* information request, optional (flags bit 0) so GRUB never refuses */
	.balign 8
info_req:
	.short MB2_HTAG_INFO_REQUEST, 1
	.long info_req_end - info_req
	.long MB2_TAG_CMDLINE, MB2_TAG_LOADER_NAME, MB2_TAG_MODULE, MB2_TAG_MMAP
	.long MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_NEW, MB2_TAG_EFI64, MB2_TAG_EFI_MMAP
info_req_end:

	/* where to enter (GRUB otherwise uses the ELF entry, the 64-bit one) */
	.balign 8
	.short MB2_HTAG_ENTRY_ADDRESS, 0
	.long 12
	.long mb2_entry32

	/* page-align modules so they can be handed to partitions as pages */
	.balign 8
	.short MB2_HTAG_MODULE_ALIGN, 0
	.long 8

	.balign 8
	.short MB2_HTAG_END, 0
	.long 8
mb2_header_end:

/* --- 32-bit entry from a Multiboot2 loader ------------------------------- */
	.section .text.entry, "ax"
	.code32
	.globl mb2_entry32
mb2_entry32:
	/* EAX = magic, EBX = info block; protected mode, paging off */
	cli
	cld
	movl %eax, mb2_magic
	movl %ebx, mb2_info
	rdtsc
	movl %eax, boot_entry_tsc
	movl %edx, boot_entry_tsc + 4
	movl $boot_stack_top, %esp

	/* long mode present? CPUID 0x80000001 EDX bit 29 */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	lgdt boot_gdt_desc
	movl %cr4, %eax
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(X86_CR0_PG | X86_CR0_PE), %eax
	movl %eax, %cr0
	ljmp $0x08, $mb2_entry64

no_long_mode:
	movl $msg_no_lm, %esi
1:	lodsb
	testb %al, %al
	jz 3f
	movb %al, %bl
	movw $(COM1 + 5), %dx
2:	inb %dx, %al
	testb $0x20, %al
	jz 2b
	movw $COM1, %dx
	movb %bl, %al
	outb %al, %dx
	jmp 1b
3:	cli
	hlt
	jmp 3b

	.code64
mb2_entry64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $boot_stack_top, %rsp
	movl mb2_magic(%rip), %edi
	movl mb2_info(%rip), %esi
	call boot_mb2_main
	jmp boot_halt

/* --- 64-bit entry from Bulkhead's UEFI loader ---------------------------- */
	/* RDI = physical address of struct boot_info; long mode, firmware's
	 * identity map, interrupts off. Switch to our own tables, GDT, stack. */
	.globl uefi_entry64
uefi_entry64:
	cli
	cld
	movq %rdi, %rbx
	rdtsc
	movl %eax, boot_entry_tsc(%rip)
	movl %edx, boot_entry_tsc + 4(%rip)
	movq $boot_stack_top, %rsp
	lgdt boot_gdt_desc(%rip)
	movq $boot_pml4, %rax
	movq %rax, %cr3
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq %rbx, %rdi
	call boot_uefi_main

	.globl boot_halt
boot_halt:
	cli
	hlt
	jmp boot_halt

	.section .rodata
msg_no_lm:
	.asciz "Bulkhead: this CPU has no 64-bit long mode; halted.\r\n"

/* --- boot data ----------------------------------------------------------- */
	.section .data
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.balign 8
mb2_magic:
	.long 0
mb2_info:
	.long 0
	.globl boot_entry_tsc
boot_entry_tsc:
	.quad 0

	/* identity map of 0..4 GiB with 2 MiB pages; MTRRs keep MMIO uncached */
	.section .data.pagetables, "aw"
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad boot_pdpt + PTE_P_RW
	.fill 511, 8, 0
boot_pdpt:
	.quad boot_pd + PTE_P_RW
	.quad boot_pd + 0x1000 + PTE_P_RW
	.quad boot_pd + 0x2000 + PTE_P_RW
	.quad boot_pd + 0x3000 + PTE_P_RW
	.fill 508, 8, 0
boot_pd:
	.set i, 0
	.rept 2048
	.quad (i << 21) + PDE_2M
	.set i, i + 1
	.endr

	.section .bss.stack, "aw", @nobits
	.balign 4096
	.globl boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
