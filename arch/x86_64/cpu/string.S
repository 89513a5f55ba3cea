/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86_64 memcpy and memset for the hypervisor image: string instructions,
 * one per 8 bytes, which the fast-string microcode runs at line speed. They
 * replace the weak portable versions of core/lib/string.c. System V ABI:
 * RDI = dst, RSI = src or fill byte, RDX = length; RAX = dst. The direction
 * flag is clear at every call (the ABI), so the copies run upwards.
 */
	.section .text

/* void *memcpy(void *dst, const void *src, size_t n) */
	.globl memcpy
	.type memcpy, @function
memcpy:
	movq %rdi, %rax
	movq %rdx, %rcx
	shrq $3, %rcx
	rep movsq
	movq %rdx, %rcx
	andq $7, %rcx
	rep movsb
	ret
	.size memcpy, . - memcpy

/* void *memset(void *dst, int c, size_t n) */
	.globl memset
	.type memset, @function
memset:
	movq %rdi, %r8
	movzbl %sil, %eax
	movabsq $0x0101010101010101, %rcx
	imulq %rcx, %rax
	movq %rdx, %rcx
	shrq $3, %rcx
	rep stosq
	movq %rdx, %rcx
	andq $7, %rcx
	rep stosb
	movq %r8, %rax
	ret
	.size memset, . - memset

	.section .note.GNU-stack, "", @progbits
