/* SPDX-License-Identifier: GPL-2.0-only */
/* First 64-bit code of an AP, reached from the trampoline with RSP and RDI set. */
	.section .text
	.globl ap_entry64
ap_entry64:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call ap_main
1:	cli
	hlt
	jmp 1b
