/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arch interface: everything core/ may ask of the architecture. core/
 * includes this header and no arch/ header. Each arch (and the host build
 * used by unit tests) implements these functions.
 */
#ifndef CORE_ARCH_H
#define CORE_ARCH_H

#include "core/types.h"

/* Logical number of the calling CPU (0 = boot CPU). */
cpu_id_t arch_cpu_id(void);
/* Stops the calling CPU for good (interrupts off, halt loop). */
void __noreturn arch_cpu_halt(void);
/* A monotonic cycle counter (TSC on x86) and its frequency in kHz (0 = unknown). */
uint64_t arch_cycles(void);
uint64_t arch_cycles_khz(void);
/* Spin-wait hint. */
void arch_cpu_relax(void);
/* The hypervisor CPU number of an online CPU with this hardware id, or -1. */
int arch_cpu_by_hw_id(hw_id_t hw_id);

struct partition;
/* Parks every other CPU of p (x86: IPI/NMI); part_fail() calls it after marking p FAILED. */
void arch_part_stop_cpus(struct partition *p);

/*
 * Writes the stage-2 entries for [gpa, gpa + size) of p, a piece of one RAM
 * region that arch_part_create left unmapped because it was not scrubbed yet
 * (core/scrub.h; part_scrub_done). Its tables exist: nothing is allocated,
 * and two CPUs may map different pieces at once. 0 or a negative error.
 */
int arch_part_s2_map(struct partition *p, gpa_t gpa, uint64_t size);

#ifndef BULKHEAD_HOST
struct boot_info;
struct memmap;

/* A console usable before the command line is read (x86: COM1, 115200 8N1). */
void arch_early_console(void);
/*
 * Sets up the console from the hypervisor command line ("console=com1,115200",
 * "console=0x2f8,9600", "console=none"); returns 0 or a negative error.
 */
int arch_console_setup(const char *spec);
/* Boot CPU set-up that core/ needs before anything else (descriptor tables, per-CPU data). */
void arch_early_init(void);
/*
 * Discovers the platform (firmware tables, CPUs), builds the hypervisor's own
 * page tables from the memory map and starts every other CPU. Reports what it
 * found on the console. Returns the number of CPUs online.
 */
unsigned arch_platform_init(const struct boot_info *bi, struct memmap *mm);
/* Stops all other online CPUs (they halt); used on a fatal stop. */
void arch_stop_other_cpus(void);

/* Before arch_platform_init: these CPUs keep their APIC in xAPIC mode (a Linux root's). */
void arch_prefer_xapic(const hw_id_t *hw_ids, unsigned n);

/* CPUs: hardware ids (APIC ID / MPIDR) of the online CPUs; returns the count. */
unsigned arch_cpu_hw_ids(hw_id_t *ids, unsigned max);
/* The PCI functions present (segment << 16 | bus << 8 | devfn), up to max; the count. */
unsigned arch_pci_list(uint32_t *sbdf, unsigned max);
/* The class code of a function arch_pci_list found (base << 16 | sub << 8 | interface) */
uint32_t arch_pci_class(uint32_t sbdf);
/* A PCI-to-PCI bridge's buses: TABLE_PCI_BRIDGE(secondary, subordinate); 0 for any other function */
uint32_t arch_pci_bridge_buses(uint32_t sbdf);
/* The platform-control port runs no partition but the root may have (table_platform.ctl_ports) */
struct table_platform_port;
unsigned arch_platform_ports(struct table_platform_port *out, unsigned max);
/* The platform register windows no partition may map (table_platform.ctl_windows) */
struct table_platform_window;
unsigned arch_platform_windows(struct table_platform_window *out, unsigned max);
/* Where an idle CPU waits for a vCPU to be assigned to it; never returns. */
void __noreturn arch_cpu_idle_loop(void);
/* Makes idle CPU cpu run fn (which never returns); 0, or -1 when that CPU is not idle. */
int arch_cpu_start_job(unsigned cpu, void (*fn)(void));
#define MAX_CPUS_CORE 256 /* bound for core's per-CPU bookkeeping */

/* Builds stage-2 tables, intercept bitmaps and the guest's start state. */
int arch_part_create(struct partition *p, uint64_t entry);
/* A Linux bzImage for the root partition, and what it needs around it. */
struct phys_span {
	uint64_t base;
	uint64_t size;
};
struct linux_image {
	const void *kernel;
	size_t kernel_len;
	const void *initrd; /* NULL: none */
	size_t initrd_len;
	const char *cmdline;
	const struct memmap *memmap; /* the firmware map, carved */
	const uint8_t *rsdp;	     /* copy of the firmware's RSDP, or NULL */
	uint32_t rsdp_len;
	const struct phys_span *avoid; /* boot modules: not to be overwritten while loading */
	unsigned n_avoid;
	bool kept; /* kernel and initrd are the hypervisor's own copies: a restart can reload them */
};
/* Like arch_part_create, for a Linux root partition started by the x86 boot protocol. */
int arch_part_create_linux(struct partition *p, const struct linux_image *li);

/* Hands each vCPU of p to its CPU, which enters the guest. */
int arch_part_start(struct partition *p);
/* The calling CPU enters vCPU 0 of p (the root: its other CPUs wait for its SIPIs). */
void __noreturn arch_enter_root(struct partition *p);
/* Logs per-CPU VM exit counts by reason since the last call. */
void arch_report_exits(uint64_t interval_us);
#endif

#endif
