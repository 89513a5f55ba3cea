/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Partitions as the running hypervisor keeps them: built from a validated
 * table, one per table partition, with their memory (guest-physical to
 * host-physical), CPUs, I/O ports and state. The arch layer hangs its
 * stage-2 tables and bitmaps off `arch`.
 */
#ifndef CORE_PARTITION_H
#define CORE_PARTITION_H

#include "core/spinlock.h"
#include "core/cring.h"
#include "core/types.h"

struct bh_pci_device;

#define PART_MAX	  16
#define PART_CPUS_MAX	  16
#define PART_REGIONS_MAX  32
#define PART_PIO_MAX	  32
#define PART_PCI_MAX	  64
#define PART_IRQS_MAX	  32
#define PART_NAME_MAX	  32
#define PART_CONSOLE_LINE CRING_LINE_MAX

enum part_state {
	PART_STOPPED = 0, /* valid, not started (or stopped on request) */
	PART_RUNNING = 1,
	PART_FAILED = 2,  /* broke a rule; its CPUs are parked */
	PART_INVALID = 3, /* did not pass the boot-time checks; never started */
};

/* region flags are the table's BH_MEM_* flags */
struct part_region {
	gpa_t gpa;
	hpa_t hpa;
	uint64_t size;
	uint32_t flags;
};

struct part_pio {
	uint32_t base;
	uint32_t size;
};

/* Input lines [first, first + count) of the interrupt controller at chip_base. */
struct part_irq {
	uint64_t chip_base;
	uint32_t chip_type; /* BH_IRQCHIP_* */
	uint32_t first;
	uint32_t count;
};

struct partition {
	uint32_t id;
	char name[PART_NAME_MAX];
	uint32_t flags;		 /* BH_PART_* */
	uint32_t fault_policy;	 /* BH_FAULT_* */
	uint32_t image_flags;	 /* BH_IMAGE_F_*: how the guest starts */
	volatile uint32_t state; /* enum part_state */

	uint32_t cpu_count;
	hw_id_t hw_ids[PART_CPUS_MAX]; /* APIC IDs (x86) / MPIDR affinities (arm64), by vCPU index */
	cpu_id_t cpus[PART_CPUS_MAX];  /* hypervisor CPU numbers, by vCPU index */

	uint32_t region_count;
	struct part_region regions[PART_REGIONS_MAX];
	uint32_t pio_count;
	struct part_pio pio[PART_PIO_MAX];
	uint32_t pci_count;
	uint32_t pci[PART_PCI_MAX];			   /* bus << 8 | devfn (segment 0) */
	const struct bh_pci_device *pci_rec[PART_PCI_MAX]; /* the table's record of each */
	uint32_t irq_count;
	struct part_irq irqs[PART_IRQS_MAX];
	bool irqs_known; /* the table names the interrupt controllers: lines are filtered */

	uint64_t tsc_khz;
	uint32_t console_port; /* passthrough UART for the guest, 0 = hypercall console */

	/* guest console: hypercall output, collected into whole lines */
	spinlock_t console_lock;
	uint32_t console_len;
	char console_line[PART_CONSOLE_LINE];
	struct cring cring; /* finished lines waiting for the UART (core/cring.h) */

	/* BH_HC_HEARTBEAT */
	uint64_t heartbeat_value;
	uint64_t heartbeat_cycles;

	/* RAM not yet zeroed: core/scrub.h (NULL: all of it was zeroed at load time) */
	struct part_scrub *scrub;

	void *arch; /* arch-private state (stage-2 root, bitmaps) */
};

/*
 * Guest memory access. Returns a host pointer for [gpa, gpa + len) when the
 * whole range lies inside ONE of the partition's RAM regions (not BH_MEM_IO;
 * for write, the region must have BH_MEM_WRITE); NULL otherwise, also when
 * len is 0 or the range wraps. The hypervisor maps host memory 1:1, so the
 * pointer is the host-physical address.
 */
void *gmem_ptr(const struct partition *p, gpa_t gpa, uint64_t len, bool write);
/* Copies out of / into guest memory; 0 or -HV_EFAULT. */
int gmem_read(const struct partition *p, gpa_t gpa, void *dst, uint64_t len);
int gmem_write(const struct partition *p, gpa_t gpa, const void *src, uint64_t len);
/* Whether p owns input line `line` of the interrupt controller at chip_base. */
bool part_owns_irq(const struct partition *p, uint64_t chip_base, uint32_t line);
/* The region containing gpa, or NULL. */
const struct part_region *part_region_of(const struct partition *p, gpa_t gpa);

/* Hypercall arguments as the arch layer read them from the vCPU. */
struct hc_args {
	uint64_t nr;
	uint64_t a0, a1, a2, a3;
};

/*
 * Runs one hypercall of partition p from its vCPU vcpu_index. Every argument
 * is checked; returns the value for the guest's RAX (>= 0, or -BH_E*).
 */
int64_t hypercall_dispatch(struct partition *p, uint32_t vcpu_index, const struct hc_args *a);

/*
 * Guest console: appends text to the partition's line buffer and emits every
 * completed line (and a full buffer) to the hypervisor log as
 * "[<name>] <text>". Non-printable bytes are shown as '?'.
 */
void part_console_write(struct partition *p, const char *text, size_t len);
/* Gives p a console ring of size bytes at buf (rate bytes per second, 0: no limit). */
void part_console_ring(struct partition *p, void *buf, uint32_t size, uint64_t rate);
/*
 * From now on some CPU drains the rings (the root's on its exits, a monitor
 * CPU, a parked CPU): finished lines are queued instead of printed.
 */
void part_console_async(void);
/*
 * Prints up to max queued lines, oldest first per partition, round robin;
 * returns how many. Nothing when another CPU is draining. Waits for the
 * UART: never called on a CPU of an RT partition.
 */
unsigned part_console_drain(unsigned max);
/* Every queued line, before a hypervisor line (log_set_drain) */
void part_console_flush_all(void);
/* True once, for the CPU that is to drain for good (part_console_drainer) */
bool part_console_claim_drainer(void);
void __noreturn part_console_drainer(void);

/*
 * Fault policy: partition p broke a rule on vCPU vcpu_index. Logs one line
 * ("partition \"rtos1\" (id 2) FAILED on cpu2: <reason>, rip 0x..., address
 * 0x..."), marks it FAILED and asks the arch to park all its CPUs. The caller
 * parks its own CPU afterwards.
 */
void part_fail(struct partition *p, uint32_t vcpu_index, const char *reason, uint64_t rip,
	       uint64_t addr);

#endif
