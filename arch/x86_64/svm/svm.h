/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD SVM: VMCB layout offsets, intercept bits and exit codes (AMD APM vol. 2, appendix B and C). */
#ifndef ARCH_SVM_H
#define ARCH_SVM_H

#include "core/types.h"

/* control area */
#define VMCB_INTERCEPT_CR    0x000
#define VMCB_INTERCEPT_EXC   0x008
#define VMCB_INTERCEPT_MISC1 0x00c
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_IOPM_BASE	     0x040
#define VMCB_MSRPM_BASE	     0x048
#define VMCB_TSC_OFFSET	     0x050
#define VMCB_ASID	     0x058
#define VMCB_TLB_CONTROL     0x05c
#define VMCB_VINTR	     0x060
#define VMCB_INT_STATE	     0x068
#define VMCB_EXITCODE	     0x070
#define VMCB_EXITINFO1	     0x078
#define VMCB_EXITINFO2	     0x080
#define VMCB_EXITINTINFO     0x088
#define VMCB_NP_ENABLE	     0x090
#define VMCB_EVENTINJ	     0x0a8
#define VMCB_N_CR3	     0x0b0
#define VMCB_CLEAN	     0x0c0
#define VMCB_NRIP	     0x0c8
/* state save area */
#define VMCB_ES	    0x400
#define VMCB_CS	    0x410
#define VMCB_SS	    0x420
#define VMCB_DS	    0x430
#define VMCB_FS	    0x440
#define VMCB_GS	    0x450
#define VMCB_GDTR   0x460
#define VMCB_LDTR   0x470
#define VMCB_IDTR   0x480
#define VMCB_TR	    0x490
#define VMCB_CPL    0x4cb
#define VMCB_EFER   0x4d0
#define VMCB_CR4    0x548
#define VMCB_CR3    0x550
#define VMCB_CR0    0x558
#define VMCB_DR7    0x560
#define VMCB_DR6    0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP    0x578
#define VMCB_RSP    0x5d8
#define VMCB_RAX    0x5f8
#define VMCB_CR2    0x640
#define VMCB_G_PAT  0x668

/* segment register in the save area: selector, attributes, limit, base */
#define SEG_SEL	  0
#define SEG_ATTR  2
#define SEG_LIMIT 4
#define SEG_BASE  8

/* segment attribute bits (packed descriptor bits 40-47 and 52-55) */
#define SVM_SEG_ATTR_L (1u << 9)  /* 64-bit code */
#define SVM_SEG_ATTR_D (1u << 10) /* default operand size 32 */

/* VMCB_INTERCEPT_MISC1 */
#define SVM_I_INTR	  (1u << 0)
#define SVM_I_NMI	  (1u << 1)
#define SVM_I_SMI	  (1u << 2)
#define SVM_I_INIT	  (1u << 3)
#define SVM_I_CPUID	  (1u << 18)
#define SVM_I_INVD	  (1u << 22)
#define SVM_I_HLT	  (1u << 24)
#define SVM_I_INVLPGA	  (1u << 26)
#define SVM_I_IOIO	  (1u << 27)
#define SVM_I_MSR	  (1u << 28)
#define SVM_I_TASK_SWITCH (1u << 29)
#define SVM_I_SHUTDOWN	  (1u << 31)
/* VMCB_INTERCEPT_MISC2 */
#define SVM_I_VMRUN   (1u << 0)
#define SVM_I_VMMCALL (1u << 1)
#define SVM_I_VMLOAD  (1u << 2)
#define SVM_I_VMSAVE  (1u << 3)
#define SVM_I_STGI    (1u << 4)
#define SVM_I_CLGI    (1u << 5)
#define SVM_I_SKINIT  (1u << 6)

/* exit codes */
#define SVM_EXIT_EXC_BASE    0x040
#define SVM_EXIT_INTR	     0x060
#define SVM_EXIT_NMI	     0x061
#define SVM_EXIT_SMI	     0x062
#define SVM_EXIT_INIT	     0x063
#define SVM_EXIT_CPUID	     0x072
#define SVM_EXIT_INVD	     0x076
#define SVM_EXIT_HLT	     0x078
#define SVM_EXIT_INVLPGA     0x07a
#define SVM_EXIT_IOIO	     0x07b
#define SVM_EXIT_MSR	     0x07c
#define SVM_EXIT_TASK_SWITCH 0x07d
#define SVM_EXIT_SHUTDOWN    0x07f
#define SVM_EXIT_VMRUN	     0x080
#define SVM_EXIT_VMMCALL     0x081
#define SVM_EXIT_VMLOAD	     0x082
#define SVM_EXIT_VMSAVE	     0x083
#define SVM_EXIT_STGI	     0x084
#define SVM_EXIT_CLGI	     0x085
#define SVM_EXIT_SKINIT	     0x086
#define SVM_EXIT_NPF	     0x400
#define SVM_EXIT_INVALID     0xffffffffu /* -1; QEMU TCG may report it as 32 bits */

/* EXITINFO1 of IOIO (APM vol. 2, 15.10.2) */
#define SVM_IOIO_IN	    (1u << 0)
#define SVM_IOIO_STR	    (1u << 2)
#define SVM_IOIO_REP	    (1u << 3)
#define SVM_IOIO_SZ_SHIFT   4 /* bits 6:4: SZ8, SZ16, SZ32 */
#define SVM_IOIO_A_SHIFT    7 /* bits 9:7: A16, A32, A64 */
#define SVM_IOIO_PORT_SHIFT 16

/* EXITINFO1 of NPF: the page-fault error code (APM vol. 2, 15.25.6) */
#define SVM_NPF_PRESENT (1u << 0)
#define SVM_NPF_WRITE	(1u << 1)
#define SVM_NPF_FETCH	(1u << 4)

/* EVENTINJ and EXITINTINFO (APM vol. 2, 15.20) */
#define SVM_EV_VECTOR	  0xffu
#define SVM_EV_TYPE_SHIFT 8
#define SVM_EV_ERR_VALID  (1u << 11)
#define SVM_EV_VALID	  (1u << 31)

/* VMCB_TLB_CONTROL */
#define SVM_TLB_FLUSH_ALL 1

#define MSR_VM_HSAVE_PA 0xc0010117

/* The SVM back end of the vCPU layer (named only by the composition root, setup.c). */
struct vcpu_ops;
extern const struct vcpu_ops svm_ops;

struct vcpu;
/*
 * svm_entry.S: the entry loop. Loads the guest GPRs but RAX and RSP (those
 * live in the VMCB), VMLOAD/VMRUN/VMSAVE, stores the caller-saved GPRs,
 * VMLOADs the host's state and calls svm_exit_fast(v); when that asks for
 * the slow path, stores the rest and calls svm_exit_slow(v). Enters again
 * while they return non-zero.
 */
void svm_run_loop(struct vcpu *v);
/* svm.c: a CPUID or hypercall exit: 0 stop, 1 enter again, 2 take the slow path. */
int svm_exit_fast(struct vcpu *v);
/* svm.c: any exit, every GPR in struct guest_regs: 0 stop, 1 enter again. */
int svm_exit_slow(struct vcpu *v);

#endif
