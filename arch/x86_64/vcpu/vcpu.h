/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86_64 vCPU layer: one vCPU per physical CPU, pinned, never scheduled.
 * A vendor back end (svm/, later vmx/) enters the guest once per call and
 * returns a decoded exit (struct vexit); this layer decides what the exit
 * means (vcpu/exits.c) through one shared policy. The back end is chosen
 * once at boot by the composition root (arch/x86_64/setup.c); nothing else
 * names a back end. Partition-specific emulation (the Linux root's PC)
 * plugs in by registration (struct vcpu_emul), never by name.
 */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include "vcpu/insn.h"
#include "vcpu/vipi.h"
#include "arch/x86_defs.h"
#include "core/arch.h"
#include "core/partition.h"
#include "core/types.h"

/* What made the guest exit, decoded by the back end; also the per-CPU counter index. */
enum vexit_kind {
	VEXIT_CPUID,
	VEXIT_MSR_READ,
	VEXIT_MSR_WRITE,
	VEXIT_IO,
	VEXIT_S2,    /* stage-2 fault (NPT/EPT violation) */
	VEXIT_XAPIC, /* counted only: an S2 fault on the trapped xAPIC page */
	VEXIT_HYPERCALL,
	VEXIT_NMI,
	VEXIT_INIT,
	VEXIT_SHUTDOWN,
	VEXIT_INTR,
	VEXIT_VIRT_INSN, /* VMRUN, VMLOAD, VMXON, ... executed by the guest */
	VEXIT_FORBIDDEN, /* an instruction a partition may not execute (INVD, task switch) */
	VEXIT_INVALID,	 /* the CPU refused the guest state */
	VEXIT_CTLREG, /* counted only: a control register or XCR0 write the back end completed (VMX) */
	VEXIT_OTHER,
	VEXIT_COUNT,
};

/* An event (interrupt, exception, NMI) in the back end's neutral form. */
enum vevent_type {
	VEVENT_EXTINT = 0, /* external interrupt */
	VEVENT_NMI = 2,
	VEVENT_EXCEPTION = 3,
	VEVENT_SOFT_INT = 4,	   /* INTn */
	VEVENT_SOFT_EXCEPTION = 6, /* INT3, INTO (VMX; SVM reports them as exceptions 3 and 4) */
};

struct vevent {
	bool valid;
	bool has_error;
	uint8_t type; /* enum vevent_type */
	uint8_t vector;
	uint32_t error;
};

/*
 * One exit as the back end decoded it. insn_len is the length of the
 * exiting instruction (0 when not known; the handlers that advance RIP
 * always get it). interrupted: an event the CPU was delivering when the
 * exit happened (SVM EXITINTINFO, VMX IDT-vectoring information); the
 * vCPU layer re-injects it.
 */
struct vexit {
	enum vexit_kind kind;
	uint8_t insn_len;
	struct vevent interrupted;
	union {
		struct {
			uint16_t port;
			uint8_t size;	   /* 1, 2 or 4 */
			uint8_t addr_size; /* string I/O: 2, 4 or 8 */
			bool in, str, rep;
		} io;
		struct {
			uint64_t gpa;
			bool write, fetch;
			bool present; /* a protection fault; false: no stage-2 entry */
		} s2;
		struct {
			uint32_t msr; /* RCX, for MSR_READ/MSR_WRITE */
		} msr;
		struct {
			/*
			 * INIT: the back end made the CPU take it as #SX (AMD
			 * VM_CR.R_INIT): dropped; false: it could not be
			 * contained and the partition stops (docs/threat-model.md)
			 */
			bool redirected;
		} init;
		struct {
			uint64_t code; /* the back end's raw exit code, for reports */
			uint64_t info;
			const char *what; /* VIRT_INSN, FORBIDDEN, OTHER: what it was */
		} raw;
	};
};

/* Guest GPRs in instruction-encoding order (enum insn_gpr): RAX, RCX, RDX, RBX, RSP, ... */
struct guest_regs {
	uint64_t gpr[INSN_NR_GPRS];
};

/* Guest state the back end keeps in its control block (VMCB/VMCS), read and written by name. */
enum vreg {
	VREG_RIP,
	VREG_RSP, /* gpr[INSN_RSP] is not kept in step on exits: ask the back end */
	VREG_RFLAGS,
	VREG_CR0,
	VREG_CR3,
	VREG_CR4,
	VREG_EFER,    /* as the guest sees it */
	VREG_CS_ATTR, /* segment attributes in the SVM-packed form (type, S, DPL, P, AVL, L, D/B, G) */
	VREG_CS_BASE,
	VREG_DS_BASE,
	VREG_ES_BASE,
	VREG_SS_ATTR,
};

/* A segment register of a start state; attr in the SVM-packed form. */
struct x86_seg {
	uint16_t sel;
	uint16_t attr;
	uint32_t limit;
	uint64_t base;
};

/* A complete architectural start state (vcpu/boot_state.c builds them; the back end loads them). */
struct x86_state {
	struct x86_seg cs, ds, es, ss, fs, gs, gdtr, idtr, ldtr, tr;
	uint64_t cr0, cr3, cr4, efer; /* efer: as the guest sees it */
	uint64_t rip, rsp, rflags, dr6, dr7, pat;
};

struct vcpu;

/*
 * Emulation a partition registers for what its table does not grant
 * (the Linux root's PC: root/). Each returns 0 when it handled the access.
 */
struct vcpu_port_range {
	uint16_t base;
	uint32_t count;
	/* size 1, 2 or 4; *val is the value written, or receives the value read */
	int (*fn)(struct vcpu *v, uint16_t port, unsigned size, bool in, uint32_t *val);
};

struct vcpu_mmio_range {
	uint64_t base;
	uint64_t size;
	/* size 1, 2, 4 or 8; *val as for ports */
	int (*fn)(struct vcpu *v, uint64_t gpa, unsigned size, bool write, uint64_t *val);
};

#define VCPU_EMUL_RANGES 8

struct vcpu_emul {
	unsigned n_port, n_mmio;
	struct vcpu_port_range port[VCPU_EMUL_RANGES];
	struct vcpu_mmio_range mmio[VCPU_EMUL_RANGES];
	/*
	 * An MSR outside the bitmap and the shared policy: true when done (a
	 * read's value in *val), false when the guest gets #GP. NULL: a violation.
	 */
	bool (*msr)(struct vcpu *v, uint32_t msr, bool write, uint64_t *val);
	/* A triple fault. NULL: a violation. */
	void (*shutdown)(struct vcpu *v);
	/*
	 * vCPU 0 of a partition whose vCPUs were kicked with VCPU_KICK_RESTART
	 * (all of them out of the guest or timed out): reload it. 0, or the
	 * partition stops.
	 */
	int (*restart)(struct vcpu *v);
	/*
	 * Called at each stage-2 exit (the xAPIC page, emulated MMIO) before it
	 * is handled: the partition's emulated timers notice their expiry
	 * there. NULL: none. Never on the CPUID, hypercall or port paths.
	 */
	void (*poll)(struct vcpu *v);
};

/* Per-partition x86 state. Partition-specific emulation hangs off priv. */
struct x86_part {
	hpa_t stage2_root; /* NPT or EPT PML4 */
	hpa_t msr_bitmap;  /* in the back end's format */
	hpa_t io_bitmap;
	uint32_t asid;		  /* ASID / VPID */
	uint64_t stage2_pages[3]; /* leaf mappings by size: 4K, 2M, 1G */
	/* the start of vCPU 0 (and of every vCPU of an RT partition) */
	uint64_t entry; /* guest RIP */
	uint64_t cr3;	/* guest page tables of the 64-bit start */
	uint64_t gdt;
	uint16_t cs, ds;   /* selectors of the 64-bit start */
	uint64_t boot_rsi; /* Linux boot protocol: the zero page */
	bool sipi_aps;	   /* vCPUs other than 0 wait for INIT and a start-up IPI, like a PC's */
	struct vcpu_emul emul;
	struct vcpu *vcpus[PART_CPUS_MAX]; /* by vCPU index, once created */
	volatile uint32_t restarting;	   /* a restart is under way */
	void *priv;			   /* the registered emulation's own state */
};

/* Why a vCPU was made to leave the guest (struct vcpu.kick). */
enum vcpu_kick {
	VCPU_KICK_NONE = 0,
	VCPU_KICK_INIT,	   /* INIT while running: wait for a start-up IPI again */
	VCPU_KICK_RESTART, /* the partition restarts: vCPU 0 reloads it, the others wait for INIT */
};

/*
 * Where a vCPU is in its life (APs of a partition with sipi_aps start like
 * a PC's: waiting for INIT, then for a start-up IPI, then in real mode).
 */
enum vcpu_start {
	VCPU_START_BOOT = 0,  /* the documented start (64-bit, or Linux's boot protocol) */
	VCPU_START_WAIT_INIT, /* parked in the hypervisor until the partition sends INIT */
	VCPU_START_WAIT_SIPI, /* INIT seen; waits for a start-up IPI */
	VCPU_START_SIPI,      /* start-up IPI seen: enter real mode at sipi_vector:0000 */
	VCPU_START_RUNNING,   /* in the guest */
};

struct vcpu {
	/* the back ends' entry code reaches these three at fixed offsets (VCPU_*_OFF) */
	struct guest_regs regs;
	hpa_t vmcx;	 /* the back end's control block: SVM VMCB, VMX VMCS */
	hpa_t host_area; /* the back end's per-CPU host state (SVM: host VMCB for VMLOAD) */
	struct partition *part;
	struct x86_part *xp;
	uint32_t index;		 /* vCPU index in the partition */
	uint32_t hw_cpu;	 /* the physical CPU's APIC ID */
	bool x2apic;		 /* this CPU's APIC runs in x2APIC mode */
	struct vevent pending;	 /* to inject at the next entry (re-injected or queued) */
	uint32_t xapic_icr_hi;	 /* last ICR high word written through the trapped xAPIC page */
	uint32_t xapic_ldr;	 /* logical destination as the guest set it (xAPIC LDR) */
	uint32_t xapic_dfr;	 /* destination format (xAPIC DFR); 0xffffffff = flat */
	bool lvt_masked_said;	 /* an ExtINT entry written masked was reported since the start */
	volatile uint32_t start; /* enum vcpu_start */
	volatile uint32_t kick;	 /* enum vcpu_kick: leave the guest for this */
	uint8_t sipi_vector;
	uint8_t skip; /* set by the exit handlers: the back end moves RIP past the exiting instruction */
	volatile uint32_t nmi_pending; /* an NMI from the partition, injected at the next entry */
	/* every exit counts once, by kind: the exit path keeps no total */
	uint64_t exits[VEXIT_COUNT];
	uint64_t scrub_retry_gpa; /* 1 + the last fault that scrubbing answered (0: none) */
	/* the last emulated MMIO access, for the report when one cannot be emulated */
	uint64_t mmio_last_rip, mmio_last_gpa, mmio_last_exit;
};

#define VCPU_REGS_OFF	   0
#define VCPU_VMCX_OFF	   128
#define VCPU_HOST_AREA_OFF 136
_Static_assert(__builtin_offsetof(struct vcpu, vmcx) == VCPU_VMCX_OFF, "entry code offsets");
_Static_assert(__builtin_offsetof(struct vcpu, host_area) == VCPU_HOST_AREA_OFF,
	       "entry code offsets");

/* The vendor back end: only what differs between SVM and VMX. */
struct vcpu_ops {
	const char *name;      /* "SVM" */
	const char *s2_name;   /* "NPT" */
	const char *virt_insn; /* how the stats call VEXIT_VIRT_INSN ("svm-insn") */
	/* Turns virtualization on on the calling physical CPU (once per CPU); 0 or -HV_E*. */
	int (*cpu_enable)(void);
	/* Allocates the vCPU's control block on its CPU (once per vCPU); 0 or -HV_E*. */
	int (*vcpu_init)(struct vcpu *v);
	/* Loads a start state; the intercepts and stage 2 come from v->xp. */
	void (*load_state)(struct vcpu *v, const struct x86_state *s);
	/*
	 * The guest entry loop, kept in the back end so that an exit costs no
	 * host register save and no indirect call: while vcpu_keep_running(v),
	 * vcpu_prepare_entry(v), enter the guest (injecting and clearing
	 * v->pending if valid), decode the exit into a struct vexit, hand it to
	 * vcpu_handle_exit(), then move RIP forward by v->skip (and clear it).
	 */
	void (*run)(struct vcpu *v);
	uint64_t (*get)(struct vcpu *v, enum vreg r);
	void (*set)(struct vcpu *v, enum vreg r, uint64_t val);
	/* Intercept bitmaps in the vendor's format, everything intercepted; 0 or -HV_ENOMEM. */
	int (*part_init)(struct x86_part *xp);
	/* intercept: true traps the access, false lets it through. */
	void (*msr_intercept)(struct x86_part *xp, uint32_t msr, bool read, bool write,
			      bool intercept);
	void (*io_intercept)(struct x86_part *xp, uint16_t port, unsigned n, bool intercept);
	/* Stage-2 entry format, the largest leaf level (2: 1 GiB), and a TLB flush. */
	uint64_t (*s2_leaf)(hpa_t hpa, uint32_t mem_flags, unsigned level);
	uint64_t (*s2_table)(hpa_t table);
	unsigned (*s2_max_level)(void);
	/*
	 * Executable memory only in 4 KiB leaves (Intel CPUs without
	 * IF_PSCHANGE_MC_NO: CVE-2018-12207). NULL: no such limit.
	 */
	bool (*s2_exec_4k)(void);
	void (*s2_flush)(struct vcpu *v);
};

/* The back end in use, set once by the composition root (setup.c) before any partition exists. */
extern const struct vcpu_ops *vcpu_backend;

/* ---- the entry loop's generic decisions (inline: they run on every exit) ---- */

/* Every exit of v so far (for reports; the exit path counts by kind only). */
static inline uint64_t vcpu_exits_total(const struct vcpu *v)
{
	uint64_t n = 0;

	for (unsigned k = 0; k < VEXIT_COUNT; k++)
		n += v->exits[k];
	return n;
}

/* Whether v enters its guest again: its partition runs and nobody kicked it. */
static inline bool vcpu_keep_running(struct vcpu *v)
{
	return __atomic_load_n(&v->part->state, __ATOMIC_ACQUIRE) == PART_RUNNING &&
	       !__atomic_load_n(&v->kick, __ATOMIC_ACQUIRE);
}

/* Before an entry: an NMI another vCPU of the partition sent goes in, unless an event is queued. */
static inline void vcpu_prepare_entry(struct vcpu *v)
{
	if (v->nmi_pending && !v->pending.valid &&
	    __atomic_exchange_n(&v->nmi_pending, 0, __ATOMIC_ACQ_REL))
		v->pending = (struct vevent){ .valid = true,
					      .type = 2 /* VEVENT_NMI */,
					      .vector = 2 };
}

/* The exit handlers' way to move RIP past the exiting instruction (the back end applies it). */
static inline void vcpu_skip(struct vcpu *v, unsigned len)
{
	v->skip = (uint8_t)len;
}

/* ---- vcpu/exits.c: the generic exit handlers (host-testable with a fake back end) ---- */

/*
 * Handles one decoded exit of v (counts it, re-queues an interrupted event,
 * dispatches). Back ends call vcpu_handle_exit() from vcpu/exits.h, which
 * keeps CPUID inline and calls this for the rest.
 */
void vcpu_handle_exit_slow(struct vcpu *v, const struct vexit *e);
/* Stops v's partition for a violation: one report line with the guest RIP. */
void vcpu_violation(struct vcpu *v, const char *reason, uint64_t addr);
/* Queues an exception for the next entry (#GP(0): vector 13, error 0). */
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
/* The names of the exit counters, for reports. */
const char *vcpu_exit_name(enum vexit_kind k);

/* ---- vcpu/emul.c: registration of partition-specific emulation ---- */

int vcpu_emul_port(struct x86_part *xp, uint16_t base, uint32_t count,
		   int (*fn)(struct vcpu *, uint16_t, unsigned, bool, uint32_t *));
int vcpu_emul_mmio(struct x86_part *xp, uint64_t base, uint64_t size,
		   int (*fn)(struct vcpu *, uint64_t, unsigned, bool, uint64_t *));
const struct vcpu_port_range *vcpu_emul_find_port(const struct x86_part *xp, uint16_t port);
const struct vcpu_mmio_range *vcpu_emul_find_mmio(const struct x86_part *xp, uint64_t gpa);

/* ---- vcpu/ipi.c: IPIs, NMIs and INIT/SIPI inside a partition ---- */

/*
 * An IPI the guest wrote to its ICR (x2APIC format: destination in bits
 * 63:32), filtered and delivered. INIT and start-up IPIs to a sipi_aps
 * partition's own CPUs are emulated (they never reach the hardware).
 * Returns 0, or -HV_EPERM with the reason for the violation in why.
 */
int vcpu_send_ipi(struct vcpu *v, uint64_t icr, char *why, size_t why_len);
/* p's CPUs as interrupt destinations (APIC IDs, LDR/DFR), for vcpu/vipi.h */
void vcpu_vdev_part(const struct partition *p, struct vdev_part *out);
/* Makes t leave the guest (or its wait) for why; t's exit loop sees it. */
void vcpu_kick(struct vcpu *self, struct vcpu *t, enum vcpu_kick why);

/* ---- vcpu/vapic.c: the trapped xAPIC page (CPUs without x2APIC) ---- */

/* the only xAPIC base a partition can have: APIC_BASE writes are refused */
#define XAPIC_PAGE ((uint64_t)APIC_DEFAULT_BASE)
/* An access of size bytes to offset off of the trapped xAPIC page; 0 or -HV_EPERM (why). */
/*
 * lvt.c, the local APIC write policy (pure). vapic_lvt_has_mode: the local
 * vector table entry at xAPIC offset off (x2APIC MSR 0x800 + off / 16) has
 * a delivery-mode field; vapic_lvt_reg: off is an LVT entry at all.
 * vapic_lvt_check: whether *val may be written to LVT entry off: 0;
 * VAPIC_LVT_MASKED with *val masked and why filled (ExtINT); -HV_EPERM
 * with why filled (SMI, INIT, reserved mode, vector below 32).
 * vapic_write_policy: what a write of *val to xAPIC offset off does (*val
 * may be adjusted; why filled for VAPIC_MASKED and VAPIC_REFUSED).
 */
#define VAPIC_LVT_MASKED 1
enum vapic_op {
	VAPIC_FORWARD, /* to the CPU's own APIC */
	VAPIC_MASKED,  /* to the CPU's own APIC, masked: reported */
	VAPIC_LDR,     /* kept as the vCPU's virtual LDR */
	VAPIC_DFR,     /* kept as the vCPU's virtual DFR */
	VAPIC_ICR_HI,  /* kept: the next ICR_LO write's destination */
	VAPIC_ICR_LO,  /* through the IPI filter */
	VAPIC_REFUSED, /* a violation */
};
bool vapic_lvt_has_mode(uint32_t off);
bool vapic_lvt_reg(uint32_t off);
int vapic_lvt_check(uint32_t off, uint32_t *val, char *why, size_t why_len);
enum vapic_op vapic_write_policy(uint32_t off, uint32_t *val, char *why, size_t why_len);
/* An LVT entry written masked (vapic_lvt_check): said once per start of the partition. */
void vcpu_lvt_masked(struct vcpu *v, const char *why);
int vapic_access(struct vcpu *v, uint32_t off, unsigned size, bool write, uint64_t *val, char *why,
		 size_t why_len);

/* ---- vcpu/boot_state.c: architectural start states ---- */

/* The documented 64-bit start of include/bulkhead/guest.h (or the 32-bit one: image flag START32). */
void vcpu_state_boot(struct vcpu *v, struct x86_state *s);
/* After INIT and a start-up IPI: real mode at vector:0000. */
void vcpu_state_sipi(struct x86_state *s, uint8_t vector);
/*
 * Writes guest page tables at guest-physical at (GUEST_IDMAP_PAGES pages:
 * PML4, PDPT, four page directories) mapping 0-4 GiB 1:1 with 2 MiB pages.
 */
#define GUEST_IDMAP_PAGES 6
int guest_identity_map(struct partition *p, gpa_t at);
/* The flat GDT of the 64-bit start: null, 64-bit code, data, 32-bit code (4 entries). */
#define GUEST_GDT_ENTRIES 4
void guest_flat_gdt(uint64_t gdt[GUEST_GDT_ENTRIES]);

/* ---- vcpu/intercept.c: the shared intercept policy ---- */

/* Builds xp's bitmaps: MSR policy of every partition, the table's port grants. */
int vcpu_intercepts_init(struct partition *p, struct x86_part *xp);
/* Traps ports [port, port + n) even where the table grants them (reset and power ports). */
void vcpu_trap_ports(struct x86_part *xp, uint16_t port, unsigned n);

/* ---- vcpu/stage2.c ---- */

/* Builds the partition's stage-2 tables with the back end's entry format. */
int stage2_build(struct partition *p);
/*
 * Removes the 4 KiB page at gpa from the partition's stage-2 map (splitting
 * a huge page), so accesses to it trap. Before the partition runs.
 */
int stage2_unmap_page(struct partition *p, gpa_t gpa);
/*
 * Maps the 4 KiB page at gpa read-only (splitting a huge page): reads go to
 * the hardware, writes trap to the partition's MMIO emulation. Before the
 * partition runs. -HV_ENOENT when gpa is not mapped.
 */
int stage2_protect_page(struct partition *p, gpa_t gpa);

/* ---- vcpu/part.c: partitions and vCPU life cycles ---- */

/* The partition's x86 state (stage 2, bitmaps, boot state); the caller finishes the start state. */
int vcpu_part_create(struct partition *p, struct x86_part **out);

#endif
