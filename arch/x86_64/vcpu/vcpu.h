/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86_64 vCPU layer: one vCPU per physical CPU, pinned, never scheduled.
 * The vendor back ends (SVM now, VMX next) sit behind struct vcpu_ops, chosen
 * once at boot; everything else in arch/x86_64 is vendor-neutral.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include "vcpu/insn.h"
#include "root/vdev.h"
#include "core/arch.h"
#include "core/partition.h"
#include "core/types.h"

/* Exit reasons counted per CPU, vendor-neutral. */
enum vexit {
	VEXIT_CPUID,
	VEXIT_MSR_READ,
	VEXIT_MSR_WRITE,
	VEXIT_IO,
	VEXIT_NPF,
	VEXIT_XAPIC, /* emulated access to the trapped xAPIC page */
	VEXIT_HYPERCALL,
	VEXIT_NMI,
	VEXIT_INIT,
	VEXIT_SHUTDOWN,
	VEXIT_INTR,
	VEXIT_VIRT_INSN, /* VMRUN, VMLOAD, ... executed by the guest */
	VEXIT_OTHER,
	VEXIT_COUNT,
};

/* Guest general-purpose registers the vendor entry code saves and restores. */
struct guest_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Per-partition x86 state: stage-2 root and the intercept bitmaps. */
struct x86_part {
	hpa_t stage2_root; /* NPT (or EPT) PML4 */
	hpa_t msr_bitmap;
	hpa_t io_bitmap;
	uint32_t asid;
	uint64_t stage2_pages[3]; /* leaf mappings by size: 4K, 2M, 1G */
	uint64_t entry;		  /* guest RIP at start */
	uint64_t cr3;		  /* guest page tables of the 64-bit start */
	uint64_t gdt;
	uint16_t cs, ds;		   /* selectors of the 64-bit start */
	uint64_t boot_rsi;		   /* Linux: the zero page */
	bool linux_root;		   /* the root partition running Linux: lenient policy */
	uint32_t pci_cf8;		   /* the root's last write to port 0xcf8 */
	struct vuart com1;		   /* the root's view of the emulated COM1 */
	spinlock_t com1_lock;		   /* the root's CPUs share the emulated UART */
	struct vcpu *vcpus[PART_CPUS_MAX]; /* by vCPU index, once created */
	/* the Linux root's reboot and power-off requests (docs/linux-root.md) */
	struct linux_image image;     /* what a restart reloads (image.kept: restartable) */
	volatile uint32_t restarting; /* a restart is under way */
	uint32_t restarts;
	struct root_pci *pci; /* root_pci.c: the root's functions as probed at boot */
	uint16_t pm1_cnt[2];  /* ACPI PM1a/PM1b control ports (FADT), 0: none */
	uint16_t reset_port;  /* ACPI reset register when it is a port, 0: none */
	uint8_t reset_value;
};

/* Why a vCPU was made to leave the guest (struct vcpu.kick). */
enum vcpu_kick {
	VCPU_KICK_NONE = 0,
	VCPU_KICK_INIT,	   /* INIT while running: wait for a start-up IPI again */
	VCPU_KICK_RESTART, /* the partition restarts: vCPU 0 reloads it, the others wait for INIT */
};

/* What the Linux root asked for through a reset or sleep register. */
enum root_request {
	ROOT_REQ_REBOOT,
	ROOT_REQ_POWER_OFF,
};

/*
 * Where a vCPU is in its life (the Linux root's APs start like real ones:
 * waiting for INIT, then for a start-up IPI, then in real mode at its vector).
 */
enum vcpu_start {
	VCPU_START_BOOT = 0,  /* the documented start (64-bit, or Linux's boot protocol) */
	VCPU_START_WAIT_INIT, /* parked in the hypervisor until the partition sends INIT */
	VCPU_START_WAIT_SIPI, /* INIT seen; waits for a start-up IPI */
	VCPU_START_SIPI,      /* start-up IPI seen: enter real mode at sipi_vector:0000 */
	VCPU_START_RUNNING,   /* in the guest */
};

struct vcpu {
	struct partition *part;
	uint32_t index; /* vCPU index in the partition */
	struct guest_regs regs;
	hpa_t vmcb;		 /* SVM: guest VMCB; VMX: VMCS */
	hpa_t host_save;	 /* SVM: VM_HSAVE area; VMX: VMXON region */
	hpa_t host_vmcb;	 /* SVM: host state for VMLOAD/VMSAVE */
	uint32_t xapic_icr_hi;	 /* last ICR high word written through the trapped xAPIC page */
	uint32_t xapic_ldr;	 /* logical destination as the guest set it (xAPIC LDR) */
	uint32_t xapic_dfr;	 /* destination format (xAPIC DFR); 0xffffffff = flat */
	volatile uint32_t start; /* enum vcpu_start */
	volatile uint32_t kick;	 /* enum vcpu_kick: leave the guest for this */
	uint8_t sipi_vector;
	volatile uint32_t nmi_pending; /* an NMI from the partition, injected at the next entry */
	uint64_t exits[VEXIT_COUNT];
	uint64_t exits_total;
};

struct vcpu_ops {
	const char *name;
	/* Turns on SVM/VMX on the calling CPU; 0 or a negative error. */
	int (*cpu_enable)(struct vcpu *v);
	/* Builds the guest state for the documented 64-bit start. */
	int (*vcpu_setup)(struct vcpu *v);
	/* Builds the state of an AP after INIT and a start-up IPI: real mode at vector:0. */
	void (*vcpu_setup_sipi)(struct vcpu *v, uint8_t vector);
	/* Enters the guest and handles exits until the partition stops. */
	void (*vcpu_run)(struct vcpu *v);
	/* Stage-2 entry format */
	uint64_t (*s2_leaf)(hpa_t hpa, uint32_t mem_flags, unsigned level);
	uint64_t (*s2_table)(hpa_t table);
};

extern const struct vcpu_ops svm_ops;

/*
 * part.c: an IPI the guest wrote to its ICR (x2APIC format: destination in
 * bits 63:32), filtered and delivered. INIT and start-up IPIs to the Linux
 * root's own CPUs are emulated (they never reach the hardware). Returns 0,
 * or -HV_EPERM with the reason for the violation in why.
 */
int vcpu_send_ipi(struct vcpu *v, uint64_t icr, char *why, size_t why_len);
/* part.c: p's CPUs as interrupt destinations (APIC IDs, LDR/DFR), for arch/vdev.h */
void vcpu_vdev_part(const struct partition *p, struct vdev_part *out);

/* vapic.c: the trapped xAPIC page (CPUs without x2APIC) */
struct guest_paging;
bool vapic_is_xapic_page(uint64_t gpa);
/*
 * Emulates the instruction at rip that touched the xAPIC page at gpa.
 * regs is indexed by enum insn_gpr. Returns 0 with *len = the instruction's
 * length, or a negative error with the reason for the violation in why.
 */
int vapic_emulate(struct vcpu *v, const struct guest_paging *pg, uint64_t rip, int mode_bits,
		  uint64_t gpa, bool fault_write, uint64_t regs[INSN_NR_GPRS], unsigned *len,
		  char *why, size_t why_len);

/* vapic.c: the root's accesses to device memory it does not own */
int root_mmio_emulate(struct vcpu *v, const struct guest_paging *pg, uint64_t rip, int mode_bits,
		      uint64_t gpa, bool fault_write, uint64_t regs[INSN_NR_GPRS], unsigned *len,
		      char *why, size_t why_len);
/*
 * root_emul.c: a 32-bit access of the root to an IOAPIC's page (emulated:
 * index/data, only the root's own pins). False when gpa is not an IOAPIC's.
 */
bool root_ioapic_access(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val);
/*
 * root_emul.c: the root touched memory it does not own (the access is denied:
 * reads give all ones, writes are dropped); reported when it belongs to
 * another partition or the hypervisor, at most one line per page and
 * ROOT_DENIED_REPORTS lines in all.
 */
void root_denied_access(struct vcpu *v, uint64_t gpa, bool write);
/*
 * root_emul.c: the root's access to an MSR outside the bitmap: true when it is
 * done (a read's value in *val; a write carried out or dropped), false when
 * the root gets #GP.
 */
bool root_msr(struct vcpu *v, uint32_t msr, bool write, uint64_t *val);
/* root_emul.c: the root's port accesses outside its table; returns the value read */
uint64_t root_io(struct vcpu *v, uint16_t port, unsigned size, bool in, uint64_t val);

/*
 * part.c: writes guest page tables at guest-physical at (GUEST_IDMAP_PAGES
 * pages: PML4, PDPT, four page directories) mapping 0-4 GiB 1:1 with 2 MiB
 * pages; CR3 = at.
 */
#define GUEST_IDMAP_PAGES 6
int guest_identity_map(struct partition *p, gpa_t at);

/*
 * part.c: the root asked for a reboot or power-off (how: which register,
 * for the report). A reboot restarts the root when the hypervisor kept its
 * image; otherwise, and for a power-off, the root stops. The other
 * partitions are never touched, and the machine is never reset.
 */
void root_request(struct vcpu *v, enum root_request req, const char *how);
/* root_pci.c: probes the root's PCI functions once (at boot; a restart keeps them) */
int root_pci_setup(struct partition *p, struct x86_part *xp);
/*
 * root_pci.c: for a root restart: bus mastering, MSI and MSI-X off on every
 * function of the root, so no DMA or interrupt of the old kernel's drivers
 * reaches the new kernel; its drivers turn them on again.
 */
void root_pci_quiesce(struct partition *p);
/* root_pci.c: a root access to port 0xCFC..0xCFF with address cf8 (filtered) */
uint32_t root_pci_conf1(struct vcpu *v, uint32_t cf8, uint16_t port, unsigned size, bool write,
			uint32_t val);
/* root_pci.c: a root access inside MMCONFIG (filtered); false when gpa is not MMCONFIG */
bool root_pci_mmcfg(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint32_t *val);
/* root_pci.c: a root access to a trapped MSI-X table page; false when gpa is not one */
bool root_pci_msix(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);
/* root_emul.c: the emulated devices and the root's IOAPIC pins back to their reset state */
void root_emul_reset(struct partition *p);

/* linux_root.c: places a Linux kernel in the root and sets its boot-protocol start state */
int arch_linux_setup(struct partition *p, struct x86_part *xp, const struct linux_image *li);

/* stage2.c: builds the partition's stage-2 tables with the vendor's entry format. */
int stage2_build(struct partition *p, const struct vcpu_ops *ops);
/*
 * stage2.c: removes the 4 KiB page at gpa from the partition's stage-2 map
 * (splitting a huge page), so accesses to it trap. Before the partition runs.
 */
int stage2_unmap_page(struct partition *p, gpa_t gpa, const struct vcpu_ops *ops);
/* part.c: the vendor's operations, once a partition exists */
const struct vcpu_ops *vcpu_ops_get(void);

#endif
