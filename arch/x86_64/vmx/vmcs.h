/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMCS field encodings, exit reasons and the bits Bulkhead uses (Intel SDM
 * vol. 3C, appendix B "Field encoding in VMCS" and appendix C "VMX basic exit
 * reasons"; vol. 3C, 25.9 "VM-exit information fields"), and VMREAD/VMWRITE.
 * Private to the vmx/ room.
 */
#ifndef VMX_VMCS_H
#define VMX_VMCS_H

#include "core/types.h"

/* 16-bit fields */
#define VMCS_VPID	  0x0000
#define VMCS_GUEST_ES_SEL 0x0800 /* ES, CS, SS, DS, FS, GS, LDTR, TR: 2 apart */
#define VMCS_HOST_ES_SEL  0x0c00
#define VMCS_HOST_CS_SEL  0x0c02
#define VMCS_HOST_SS_SEL  0x0c04
#define VMCS_HOST_DS_SEL  0x0c06
#define VMCS_HOST_FS_SEL  0x0c08
#define VMCS_HOST_GS_SEL  0x0c0a
#define VMCS_HOST_TR_SEL  0x0c0c
/* 64-bit fields */
#define VMCS_IO_BITMAP_A    0x2000
#define VMCS_IO_BITMAP_B    0x2002
#define VMCS_MSR_BITMAP	    0x2004
#define VMCS_EPTP	    0x201a
#define VMCS_GUEST_PHYS	    0x2400 /* read-only: the guest-physical address of an EPT exit */
#define VMCS_LINK_PTR	    0x2800
#define VMCS_GUEST_DEBUGCTL 0x2802
#define VMCS_GUEST_PAT	    0x2804
#define VMCS_GUEST_EFER	    0x2806
#define VMCS_HOST_PAT	    0x2c00
#define VMCS_HOST_EFER	    0x2c02
/* 32-bit fields */
#define VMCS_PIN_CTLS	       0x4000
#define VMCS_PROC_CTLS	       0x4002
#define VMCS_EXC_BITMAP	       0x4004
#define VMCS_PF_MASK	       0x4006
#define VMCS_PF_MATCH	       0x4008
#define VMCS_CR3_TARGETS       0x400a
#define VMCS_EXIT_CTLS	       0x400c
#define VMCS_EXIT_MSR_STORE_N  0x400e
#define VMCS_EXIT_MSR_LOAD_N   0x4010
#define VMCS_ENTRY_CTLS	       0x4012
#define VMCS_ENTRY_MSR_LOAD_N  0x4014
#define VMCS_ENTRY_INTR	       0x4016
#define VMCS_ENTRY_EXC_ERR     0x4018
#define VMCS_ENTRY_INSN_LEN    0x401a
#define VMCS_PROC2_CTLS	       0x401e
#define VMCS_INSN_ERROR	       0x4400 /* read-only from here to 0x440e */
#define VMCS_EXIT_REASON       0x4402
#define VMCS_EXIT_INTR	       0x4404
#define VMCS_EXIT_INTR_ERR     0x4406
#define VMCS_IDT_VEC	       0x4408
#define VMCS_IDT_VEC_ERR       0x440a
#define VMCS_EXIT_INSN_LEN     0x440c
#define VMCS_EXIT_INSN_INFO    0x440e
#define VMCS_GUEST_ES_LIMIT    0x4800 /* then CS, SS, DS, FS, GS, LDTR, TR, GDTR, IDTR */
#define VMCS_GUEST_GDTR_LIMIT  0x4810
#define VMCS_GUEST_IDTR_LIMIT  0x4812
#define VMCS_GUEST_ES_AR       0x4814 /* then CS, SS, DS, FS, GS, LDTR, TR */
#define VMCS_GUEST_INTR_STATE  0x4824
#define VMCS_GUEST_ACTIVITY    0x4826
#define VMCS_GUEST_SYSENTER_CS 0x482a
#define VMCS_HOST_SYSENTER_CS  0x4c00
/* natural-width fields */
#define VMCS_CR0_MASK		0x6000
#define VMCS_CR4_MASK		0x6002
#define VMCS_CR0_SHADOW		0x6004
#define VMCS_CR4_SHADOW		0x6006
#define VMCS_EXIT_QUAL		0x6400
#define VMCS_GUEST_CR0		0x6800
#define VMCS_GUEST_CR3		0x6802
#define VMCS_GUEST_CR4		0x6804
#define VMCS_GUEST_ES_BASE	0x6806 /* then CS, SS, DS, FS, GS, LDTR, TR, GDTR, IDTR */
#define VMCS_GUEST_CS_BASE	0x6808
#define VMCS_GUEST_DS_BASE	0x680c
#define VMCS_GUEST_GDTR_BASE	0x6816
#define VMCS_GUEST_IDTR_BASE	0x6818
#define VMCS_GUEST_DR7		0x681a
#define VMCS_GUEST_RSP		0x681c
#define VMCS_GUEST_RIP		0x681e
#define VMCS_GUEST_RFLAGS	0x6820
#define VMCS_GUEST_PENDING_DBG	0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0		0x6c00
#define VMCS_HOST_CR3		0x6c02
#define VMCS_HOST_CR4		0x6c04
#define VMCS_HOST_FS_BASE	0x6c06
#define VMCS_HOST_GS_BASE	0x6c08
#define VMCS_HOST_TR_BASE	0x6c0a
#define VMCS_HOST_GDTR_BASE	0x6c0c
#define VMCS_HOST_IDTR_BASE	0x6c0e
#define VMCS_HOST_SYSENTER_ESP	0x6c10
#define VMCS_HOST_SYSENTER_EIP	0x6c12
#define VMCS_HOST_RSP		0x6c14
#define VMCS_HOST_RIP		0x6c16

/* segment fields of one kind are 2 apart, in this order */
enum vmcs_seg { VSEG_ES, VSEG_CS, VSEG_SS, VSEG_DS, VSEG_FS, VSEG_GS, VSEG_LDTR, VSEG_TR };

/* basic exit reasons (bits 15:0 of the exit reason) */
#define EXIT_EXC_NMI	   0
#define EXIT_EXTINT	   1
#define EXIT_TRIPLE	   2
#define EXIT_INIT	   3
#define EXIT_SIPI	   4
#define EXIT_INTR_WINDOW   7
#define EXIT_NMI_WINDOW	   8
#define EXIT_TASK_SWITCH   9
#define EXIT_CPUID	   10
#define EXIT_GETSEC	   11
#define EXIT_HLT	   12
#define EXIT_INVD	   13
#define EXIT_VMCALL	   18
#define EXIT_VMCLEAR	   19 /* 19-27: VMCLEAR ... VMXON */
#define EXIT_VMXON	   27
#define EXIT_CR		   28
#define EXIT_IO		   30
#define EXIT_RDMSR	   31
#define EXIT_WRMSR	   32
#define EXIT_BAD_GUEST	   33
#define EXIT_BAD_MSR_LOAD  34
#define EXIT_MC_ENTRY	   41
#define EXIT_EPT_VIOLATION 48
#define EXIT_EPT_MISCONFIG 49
#define EXIT_INVEPT	   50
#define EXIT_INVVPID	   53
#define EXIT_XSETBV	   55
#define EXIT_ENTRY_FAILED  (1u << 31)

/* interruption information (entry, exit, IDT vectoring) */
#define INTR_VECTOR	 0xffu
#define INTR_TYPE_SHIFT	 8
#define INTR_ERR_VALID	 (1u << 11)
#define INTR_NMI_UNBLOCK (1u << 12) /* exit interruption info: IRET unblocked NMIs */
#define INTR_VALID	 (1u << 31)
#define INTR_TYPE_NMI	 2

/* guest interruptibility state */
#define GUEST_BLOCK_STI	  (1u << 0)
#define GUEST_BLOCK_MOVSS (1u << 1)
#define GUEST_BLOCK_NMI	  (1u << 3)

/* controls Bulkhead switches at run time */
#define PROC_NMI_WINDOW (1u << 22)

/* EPT violation exit qualification */
#define EPTV_READ	 (1ULL << 0)
#define EPTV_WRITE	 (1ULL << 1)
#define EPTV_FETCH	 (1ULL << 2)
#define EPTV_PRESENT	 (7ULL << 3) /* the entry allowed read, write or execute */
#define EPTV_NMI_UNBLOCK (1ULL << 12)

static inline uint64_t vmread(uint64_t field)
{
	uint64_t v;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

static inline uint32_t vmread32(uint64_t field)
{
	return (uint32_t)vmread(field);
}

static inline void vmwrite(uint64_t field, uint64_t v)
{
	__asm__ volatile("vmwrite %1, %0" ::"r"(field), "r"(v) : "cc");
}

#endif
