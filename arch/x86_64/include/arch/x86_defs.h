/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural constants of x86_64 the hypervisor uses in more than one
 * room: APIC registers, CPUID feature bits, GDT descriptors, PC ports and
 * the low-memory boundary. Plain #defines, so assembly includes it too.
 * One definition each; a room that needs one includes this header.
 */
#ifndef ARCH_X86_DEFS_H
#define ARCH_X86_DEFS_H

/* The local APIC (Intel SDM vol. 3A, 11.4.1 and 11.12.1.2) */
#define APIC_DEFAULT_BASE 0xfee00000 /* APIC_BASE's reset value; also the MSI window */
#define XAPIC_ID	  0x020
#define XAPIC_TPR	  0x080
#define XAPIC_EOI	  0x0b0
#define XAPIC_LDR	  0x0d0
#define XAPIC_DFR	  0x0e0
#define XAPIC_SVR	  0x0f0
#define XAPIC_ESR	  0x280
#define XAPIC_ICR_LO	  0x300
#define XAPIC_ICR_HI	  0x310
#define XAPIC_TMICT	  0x380
#define XAPIC_TDCR	  0x3e0
/* local vector table entries (SDM vol. 3A, 11.5.1); timer and error have no delivery mode */
#define XAPIC_LVT_CMCI	  0x2f0
#define XAPIC_LVT_TIMER	  0x320
#define XAPIC_LVT_THERMAL 0x330
#define XAPIC_LVT_PERF	  0x340
#define XAPIC_LVT_LINT0	  0x350
#define XAPIC_LVT_LINT1	  0x360
#define XAPIC_LVT_ERROR	  0x370
#define APIC_LVT_MASKED	  (1u << 16)
#define APIC_LVT_MODE(v)  (((v) >> 8) & 7u)
#define APIC_DM_FIXED	  0
#define APIC_DM_NMI	  4
#define APIC_DM_EXTINT	  7
#define X2APIC_MSR_FIRST  0x800
#define X2APIC_MSR_ID	  0x802
#define X2APIC_MSR_EOI	  0x80b
#define X2APIC_MSR_SVR	  0x80f
#define X2APIC_MSR_ICR	  0x830
#define X2APIC_MSR_LAST	  0x8ff

/* Exception vectors (Intel SDM vol. 3A, 6.3.1) */
#define X86_EXC_GP 13 /* #GP, with an error code */

/* CPUID feature bits (Intel SDM vol. 2A, CPUID; AMD APM vol. 3, appendix E) */
#define CPUID1_ECX_VMX	      (1u << 5)
#define CPUID1_ECX_X2APIC     (1u << 21)
#define CPUID1_ECX_OSXSAVE    (1u << 27)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID1_EDX_MCE	      (1u << 7)
#define CPUID1_EDX_MCA	      (1u << 14)
#define CPUID81_ECX_SVM	      (1u << 2)
#define CPUID81_EDX_PDPE1GB   (1u << 26)
#define CPUID81_EDX_NX	      (1u << 20)
#define CPUID7_EBX_SMEP	      (1u << 7)
#define CPUID7_EBX_SMAP	      (1u << 20)
#define CPUID7_ECX_OSPKE      (1u << 4)
#define CPUID_LEAF_SVM	      0x8000000a

/* Flat GDT descriptors, base 0, limit 4 GiB (Intel SDM vol. 3A, 3.4.5) */
#define GDT_DESC_CODE64 0x00af9a000000ffff /* 64-bit code, DPL 0 */
#define GDT_DESC_CODE32 0x00cf9a000000ffff /* 32-bit code, DPL 0 */
#define GDT_DESC_DATA	0x00cf92000000ffff /* read/write data, DPL 0 */

/* PC ports that reset the machine, raise an SMI or control the platform */
#define PORT_KBC_DATA  0x60  /* 8042 data (after command 0xd1: the output port, bit 0 reset) */
#define PORT_KBC_CMD   0x64  /* 8042 command and status (0xf0-0xff, bit 0 clear: reset pulse) */
#define PORT_SYSCTL_A  0x92  /* System Control Port A: bit 0 fast reset, bit 1 A20 */
#define PORT_APM_CNT   0xb2  /* APM control: a write raises an SMI (ICH/PCH, PIIX) */
#define PORT_APM_STS   0xb3  /* APM status, the SMI handler's scratch byte */
#define PORT_RST_CNT   0xcf9 /* ICH/PCH reset control (bit 2 RST_CPU: reset) */
#define KBC_CMD_WR_OUT 0xd1  /* 8042: the next data byte is the output port */
#define RST_CNT_SYS    0x02  /* RST_CNT: SYS_RST, the kind of reset bit 2 starts */
#define RST_CNT_CPU    0x04  /* RST_CNT: start the reset */
#define RST_CNT_FULL   0x08  /* RST_CNT: FULL_RST */
#define PM1_CNT_SLP_EN (1u << 13) /* ACPI PM1 control: enter the sleep state of SLP_TYP */

/* Below 1 MiB: BIOS data, option ROMs, the AP start-up trampoline */
#define LOWMEM_TOP 0x100000

#endif
