/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU data of the x86_64 hypervisor: one struct per CPU, reached through GS. */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include "core/types.h"

#define MAX_CPUS	64
#define CPU_STACK_PAGES 4 /* 16 KiB per CPU, with an unmapped guard page below */
#define CPU_IST_PAGES	1 /* double fault / NMI / machine check stack */

enum cpu_state {
	CPU_ABSENT = 0,	  /* listed nowhere, or not started */
	CPU_STARTING = 1, /* INIT-SIPI-SIPI sent, not checked in */
	CPU_ONLINE = 2,
	CPU_DEAD = 3,	  /* never answered INIT-SIPI-SIPI */
	CPU_HALTED = 4,	  /* stopped after a fault or on request */
	CPU_DISABLED = 5, /* disabled in the MADT */
	CPU_PARKED = 6,	  /* its partition stopped; waits for nothing */
};

struct vcpu;

struct virt_caps {
	bool vmx; /* Intel VMX usable (present, not locked off) */
	bool vmx_present;
	bool vmx_locked_off; /* IA32_FEATURE_CONTROL locked without VMXON outside SMX */
	bool ept;
	bool unrestricted_guest;
	bool vpid;
	bool preemption_timer;
	bool svm; /* AMD SVM usable (present, not disabled in VM_CR) */
	bool svm_present;
	bool svm_disabled; /* VM_CR.SVMDIS set by firmware */
	bool npt;
	bool nrips;
	bool decode_assists;
	bool avic;
	uint32_t svm_revision;
	uint32_t asids;
	bool x2apic;
};

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct percpu {
	struct percpu *self; /* must stay first: %gs:0 */
	cpu_id_t cpu_id;
	apic_id_t apic_id;
	volatile uint32_t state; /* enum cpu_state */
	uint32_t reserved;
	uint64_t stack_top;
	uint64_t ist_top;
	uint64_t checkin_tsc;
	struct virt_caps virt;
	bool x2apic;		      /* this CPU's local APIC runs in x2APIC mode */
	struct vcpu *volatile vcpu;   /* the vCPU running here (statistics, the NMI handler) */
	void (*volatile job)(void *); /* set by the boot CPU (cpu_assign): run job(job_arg) */
	void *job_arg;
	bool virt_on;	     /* the vCPU back end enabled virtualization on this CPU */
	bool init_redirect;  /* a physical INIT arrives as #SX (AMD VM_CR.R_INIT set) */
	uint64_t init_sx;    /* physical INITs taken as #SX on this CPU, all dropped */
	hpa_t virt_pages[2]; /* the back end's per-CPU pages (SVM: HSAVE area, host state) */
	uint64_t gdt[7] __aligned(16); /* null, code, data, -, TSS (2 slots), - */
	struct tss64 tss __aligned(16);
};

#define GDT_CODE 0x08
#define GDT_DATA 0x10
#define GDT_TSS	 0x20

extern struct percpu percpu[MAX_CPUS];
extern unsigned cpu_count; /* entries of percpu[] in use (MADT CPUs, BSP first) */

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* Loads the descriptor tables of cpu and points GS at its per-CPU data. */
void cpu_init_tables(struct percpu *cpu);
/* Detects VMX/SVM and their features on the calling CPU. */
void virt_detect(struct virt_caps *caps);

#endif
