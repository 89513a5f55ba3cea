/* SPDX-License-Identifier: GPL-2.0-only */
/* Entry of the test guest: the hypervisor's 64-bit start, RDI = struct bh_guest_info. */
	.section .text.entry, "ax"
	.globl _start
_start:
	leaq stack_top(%rip), %rsp
	call guest_main
1:	cli
	hlt
	jmp 1b

	.section .bss
	.balign 16
	.skip 16384
stack_top:
