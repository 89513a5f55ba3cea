/* SPDX-License-Identifier: GPL-2.0-only */
/* Interfaces between the x86_64 platform modules (time, APIC, paging, SMP). */
#ifndef ARCH_X86_PLATFORM_H
#define ARCH_X86_PLATFORM_H

#include "core/memmap.h"
#include "core/types.h"

/* TSC at hypervisor entry (set by platform_init) */
extern uint64_t boot_entry_cycles;

/* apic.c: whether a CPU's APIC goes to x2APIC mode (not for a Linux root's CPUs) */
bool apic_cpu_x2apic(bool allowed, uint32_t apic_id);

/* time.c */
/* reads or starts measuring the TSC frequency (pm_port 0: no ACPI PM timer) */
void time_calibrate_start(uint64_t khz_override, uint32_t pm_port, bool pm_32bit);
/* ends a measurement time_calibrate_start() began; until then the frequency is rough */
void time_calibrate_finish(void);
uint64_t time_tsc_khz(void);
void udelay(uint64_t us);
uint64_t tsc_to_us(uint64_t cycles);

/* apic.c */
void apic_init_cpu(bool allow_x2apic);
bool apic_x2apic_mode(void);
uint32_t apic_read_id(void);
void apic_eoi(void);
/*
 * Local APIC state a restarted guest must not inherit: LVTs masked, timer
 * stopped, TPR 0, in-service interrupts ended, software-enabled.
 */
void apic_reset_for_guest(void);
#define VEC_WAKE 0xf0 /* fixed IPI that wakes an idle CPU to run its assigned vCPU */
/* Sends an IPI with the given ICR low word (vector, delivery mode, level). */
int apic_send_ipi(uint32_t apic_id, uint32_t icr_low);
/*
 * apic_send_ipi() for IPIs whose loss matters (stops, kicks, wake-ups):
 * retried while the APIC stays busy, and reported (one line naming what)
 * when it still fails. Returns 0 or the last error.
 */
int apic_ipi(uint32_t apic_id, uint32_t icr_low, const char *what);
#define IPI_ATTEMPTS 3
#define ICR_INIT     0x00004500u /* delivery mode INIT, level assert */
#define ICR_SIPI     0x00004600u /* start-up; OR in the vector (page number) */
#define ICR_NMI	     0x00004400u

/*
 * The VMX back end's entry window (vmx/vmx_entry.S): the host's NMI handler
 * resumes an NMI that interrupted [lo, hi) at to, so that a kick NMI taken
 * between the last look at the kick and the VM entry is not lost.
 */
void cpu_nmi_window(uint64_t lo, uint64_t hi, uint64_t to);
/*
 * hv_stop() is stopping every CPU: what the host's NMI handler looks at, for
 * a back end whose VM exit consumed the NMI (VMX).
 */
bool cpu_stopping(void);

/* idle.c */
/*
 * Makes idle CPU c run fn(arg) (which never returns): 0, or -HV_EBUSY when
 * that CPU is not idle (absent, the caller, or already given work).
 */
int cpu_assign(unsigned c, void (*fn)(void *), void *arg);

/* extable.c */
/* The fix-up address for an instruction at rip allowed to fault, or 0. */
uint64_t extable_fixup(uint64_t rip);

/* paging.c */
/* Builds the hypervisor's page tables: identity map of all memory. Returns CR3. */
int paging_init(const struct memmap *mm);
uint64_t paging_cr3(void);
/* Removes the 4 KiB page at va from the hypervisor's map (stack guard pages). */
int paging_unmap_page(uint64_t va);
/* Makes the 4 KiB page at va (below 4 GiB) executable or not; 0 or -HV_EINVAL. */
int paging_set_exec(uint64_t va, bool exec);
/* Whether the CPU has NX, so data pages are mapped not executable (EFER.NXE on every CPU). */
bool paging_nx(void);
/*
 * The calling CPU's protections in host mode: CR0.WP (read-only pages hold
 * for the hypervisor too), SMEP and SMAP where the CPU has them.
 */
void cpu_harden(void);
/* One line: which protections are on (after every CPU ran cpu_harden). */
void cpu_report_hardening(void);
/* Highest address (exclusive) the identity map covers. */
uint64_t paging_mapped_top(void);
/* Identity-maps [base, base + size) uncached where it lies above the identity map; 0 or -HV_E*. */
int paging_map_device(uint64_t base, uint64_t size);

/* smp.c */
#define SMP_NO_PHANTOM 0xffffffffu
struct smp_options {
	bool allow_x2apic;
	uint64_t timeout_us;	  /* per AP, from INIT to check-in */
	uint64_t init_delay_us;	  /* wait after INIT before the first SIPI */
	bool icount_aid;	  /* icount_aid=1: see smp.c */
	const char *fault_test;	  /* NULL, or "stack", "ud", "pf" for CPU 1, or "rootmsr" */
	uint32_t phantom_apic_id; /* SMP_NO_PHANTOM, or an APIC ID with no CPU */
};
/* Whether the command line asked for fault_test=kind (a test hook). */
bool fault_test_is(const char *kind);
/* Whether INIT-SIPI-SIPI needs the 10 ms wait after INIT on this CPU model. */
bool smp_needs_init_delay(void);
/* A CPU the firmware lists (MADT). */
struct smp_cpu {
	uint32_t apic_id;
	bool enabled;
};
/*
 * Starts every enabled CPU of list[0..n) (NULL: the firmware lists none);
 * returns how many CPUs are online (the boot CPU included).
 */
unsigned smp_start(const struct smp_cpu *list, unsigned n, const struct memmap *mm,
		   const struct smp_options *opt);

#endif
