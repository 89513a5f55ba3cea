/* SPDX-License-Identifier: GPL-2.0-only */
/* Interfaces between the x86_64 platform modules (time, APIC, paging, SMP). */
#ifndef ARCH_X86_PLATFORM_H
#define ARCH_X86_PLATFORM_H

#include "core/memmap.h"
#include "core/types.h"

/* platform.c: TSC at hypervisor entry */
extern uint64_t boot_entry_cycles;

/* platform.c: whether a CPU's APIC goes to x2APIC mode (not for a Linux root's CPUs) */
bool platform_cpu_x2apic(bool allowed, uint32_t apic_id);

/* platform.c: hv_stop() is stopping every CPU */
bool platform_stopping(void);

/* platform.c: the firmware's ACPI tables as parsed at boot (zeroed when unusable) */
struct acpi_info;
const struct acpi_info *platform_acpi(void);

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
#define ICR_INIT 0x00004500u /* delivery mode INIT, level assert */
#define ICR_SIPI 0x00004600u /* start-up; OR in the vector (page number) */
#define ICR_NMI	 0x00004400u

/* paging.c */
/* Builds the hypervisor's page tables: identity map of all memory. Returns CR3. */
int paging_init(const struct memmap *mm);
uint64_t paging_cr3(void);
/* Removes the 4 KiB page at va from the hypervisor's map (stack guard pages). */
int paging_unmap_page(uint64_t va);
/* Highest address (exclusive) the identity map covers. */
uint64_t paging_mapped_top(void);

/* smp.c */
struct acpi_info;
#define SMP_NO_PHANTOM 0xffffffffu
struct smp_options {
	bool allow_x2apic;
	uint64_t timeout_us;	  /* per AP, from INIT to check-in */
	uint64_t init_delay_us;	  /* wait after INIT before the first SIPI */
	bool icount_aid;	  /* icount_aid=1: see smp.c */
	const char *fault_test;	  /* NULL, or "stack", "ud", "pf" for CPU 1 */
	uint32_t phantom_apic_id; /* SMP_NO_PHANTOM, or an APIC ID with no CPU */
};
/* Whether INIT-SIPI-SIPI needs the 10 ms wait after INIT on this CPU model. */
bool smp_needs_init_delay(void);
/* Starts every enabled MADT CPU; returns how many CPUs are online (the boot CPU included). */
unsigned smp_start(const struct acpi_info *acpi, const struct memmap *mm,
		   const struct smp_options *opt);

#endif
