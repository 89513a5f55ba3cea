/* SPDX-License-Identifier: GPL-2.0-only */
/* x86_64 instruction wrappers, control-register bits and MSR numbers. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include "core/types.h"

/* CR0/CR4/EFER bits (Intel SDM vol. 3A, 2.5; AMD APM vol. 2, 3.1) */
#define CR0_PE	    (1ULL << 0)
#define CR0_MP	    (1ULL << 1)
#define CR0_ET	    (1ULL << 4)
#define CR0_NE	    (1ULL << 5)
#define CR0_WP	    (1ULL << 16)
#define CR0_PG	    (1ULL << 31)
#define CR4_PAE	    (1ULL << 5)
#define CR4_PGE	    (1ULL << 7)
#define CR4_VMXE    (1ULL << 13)
#define CR4_OSXSAVE (1ULL << 18)
#define CR4_SMEP    (1ULL << 20)
#define CR4_SMAP    (1ULL << 21)
#define CR4_PKE	    (1ULL << 22)
#define EFER_SCE    (1ULL << 0)
#define EFER_LME    (1ULL << 8)
#define EFER_LMA    (1ULL << 10)
#define EFER_NXE    (1ULL << 11)
#define EFER_SVME   (1ULL << 12)

/* MSRs */
#define MSR_IA32_APIC_BASE		 0x1b
#define MSR_IA32_FEATURE_CONTROL	 0x3a
#define MSR_IA32_VMX_BASIC		 0x480
#define MSR_IA32_VMX_PROCBASED_CTLS	 0x482
#define MSR_IA32_VMX_PROCBASED_CTLS2	 0x48b
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_EPT_VPID_CAP	 0x48c
#define MSR_EFER			 0xc0000080
#define MSR_FS_BASE			 0xc0000100
#define MSR_GS_BASE			 0xc0000101
#define MSR_VM_CR			 0xc0010114  /* AMD APM vol. 2, 15.30.1 */
#define VM_CR_R_INIT			 (1ULL << 1) /* INIT arrives as #SX (vector 30) */

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/*
 * RDMSR/WRMSR that may fault: 0, or -HV_EIO when the CPU raised #GP (an MSR
 * it does not have, a value it refuses); *val is then 0. For any MSR number
 * or value a guest chose (arch/x86_64/cpu/extable.c).
 */
int rdmsr_safe(uint32_t msr, uint64_t *val);
int wrmsr_safe(uint32_t msr, uint64_t val);
/* XSETBV that may fault (a guest's XCR0 the CPU refuses): 0 or -HV_EIO. Needs CR4.OSXSAVE. */
int xsetbv_safe(uint32_t xcr, uint64_t val);

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static inline void cpu_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/*
 * PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): selects the
 * dword at off of function bdf (bus << 8 | devfn, segment 0); the data is
 * then at port 0xCFC + (off & 3). Callers serialize the address/data pair.
 */
#define PCI_CONF1_ADDR 0xcf8
#define PCI_CONF1_DATA 0xcfc
static inline void pci_conf1_select(uint32_t bdf, uint32_t off)
{
	outl(PCI_CONF1_ADDR, 0x80000000u | bdf << 8 | (off & 0xfc));
}

static inline uint64_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint32_t mmio_read8(uint64_t addr)
{
	return *(volatile uint8_t *)(uintptr_t)addr;
}

static inline uint32_t mmio_read16(uint64_t addr)
{
	return *(volatile uint16_t *)(uintptr_t)addr;
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	*(volatile uint8_t *)(uintptr_t)addr = v;
}

static inline void mmio_write16(uint64_t addr, uint16_t v)
{
	*(volatile uint16_t *)(uintptr_t)addr = v;
}

/* An MMIO access of size 1, 2, 4 or 8 bytes (an emulated guest access passed through) */
static inline uint64_t mmio_read_sized(uint64_t addr, unsigned size)
{
	return size == 1   ? mmio_read8(addr)
	       : size == 2 ? mmio_read16(addr)
	       : size == 4 ? mmio_read32(addr)
			   : *(volatile uint64_t *)(uintptr_t)addr;
}

static inline void mmio_write_sized(uint64_t addr, unsigned size, uint64_t v)
{
	if (size == 1)
		mmio_write8(addr, (uint8_t)v);
	else if (size == 2)
		mmio_write16(addr, (uint16_t)v);
	else if (size == 4)
		mmio_write32(addr, (uint32_t)v);
	else
		*(volatile uint64_t *)(uintptr_t)addr = v;
}

#endif
