// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 side of partitions: stage-2 tables, MSR and I/O permission bitmaps,
 * the guest page tables and GDT of the documented 64-bit start, handing each
 * vCPU to its physical CPU, parking CPUs on a stop, and per-CPU exit counters.
 */
#include <bulkhead/guest.h>
#include <bulkhead/table.h>

#include "cpu/percpu.h"
#include "svm/svm.h"
#include "vcpu/vcpu.h"
#include "root/vdev.h"
#include "arch/x86.h"
#include "cpu/cpu.h"
#include "core/arch.h"
#include "core/guest_load.h"
#include "core/errno.h"
#include "core/lib.h"
#include "core/log.h"
#include "core/palloc.h"

#define MSRPM_PAGES   2	     /* AMD APM vol. 2, 15.11: 8 KiB, 2 bits per MSR */
#define IOPM_PAGES    3	     /* 12 KiB, 1 bit per port */
#define GUEST_PT_OFF  0x1000 /* inside the reserved first 64 KiB of the lowest RAM region */
#define GUEST_GDT_OFF 0x7000
#define PTE_P_RW      0x3ULL
#define PDE_2M	      0x83ULL

static const struct vcpu_ops *ops;
static uint32_t next_asid = 1;

/* x2APIC MSRs 0x800-0x8ff, except ICR writes: the partition's own LAPIC. */
#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST	 0x8ff
#define MSR_X2APIC_ICR	 0x830

static const uint32_t msr_passthrough[] = {
	0x6e0,	    /* IA32_TSC_DEADLINE */
	0x174,	    /* SYSENTER_CS */
	0x175,	    /* SYSENTER_ESP */
	0x176,	    /* SYSENTER_EIP */
	0x277,	    /* PAT: goes to the VMCB's G_PAT under NPT */
	0xc0000081, /* STAR */
	0xc0000082, /* LSTAR */
	0xc0000083, /* CSTAR */
	0xc0000084, /* SFMASK */
	0xc0000100, /* FS_BASE */
	0xc0000101, /* GS_BASE */
	0xc0000102, /* KERNEL_GS_BASE */
	0xc0000103, /* TSC_AUX */
};

/* read passthrough, write intercepted */
static const uint32_t msr_read_only[] = {
	0x10, /* TSC */
	0x1b, /* APIC_BASE */
};

static void msrpm_clear(uint8_t *pm, uint32_t msr, bool read, bool write)
{
	uint32_t base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800 * 8;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000 * 8;
	else
		return; /* outside the map: always intercepted */
	{
		uint32_t bit = base + (msr & 0x1fff) * 2;

		if (read)
			pm[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		if (write)
			pm[(bit + 1) / 8] &= (uint8_t) ~(1u << ((bit + 1) % 8));
	}
}

static int build_bitmaps(struct partition *p, struct x86_part *xp)
{
	uint8_t *pm, *io;

	xp->msr_bitmap = palloc_alloc(MSRPM_PAGES, 1);
	xp->io_bitmap = palloc_alloc(IOPM_PAGES, 1);
	if (!xp->msr_bitmap || !xp->io_bitmap)
		return -HV_ENOMEM;
	pm = (uint8_t *)(uintptr_t)xp->msr_bitmap;
	io = (uint8_t *)(uintptr_t)xp->io_bitmap;
	memset(pm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	memset(io, 0xff, IOPM_PAGES * PAGE_SIZE);
	for (uint32_t m = MSR_X2APIC_FIRST; m <= MSR_X2APIC_LAST; m++)
		msrpm_clear(pm, m, true, m != MSR_X2APIC_ICR);
	for (size_t i = 0; i < ARRAY_SIZE(msr_passthrough); i++)
		msrpm_clear(pm, msr_passthrough[i], true, true);
	for (size_t i = 0; i < ARRAY_SIZE(msr_read_only); i++)
		msrpm_clear(pm, msr_read_only[i], true, false);
	for (uint32_t i = 0; i < p->pio_count; i++)
		for (uint32_t port = p->pio[i].base;
		     port < p->pio[i].base + p->pio[i].size && port <= 0xffff; port++)
			io[port / 8] &= (uint8_t) ~(1u << (port % 8));
	return 0;
}

int guest_identity_map(struct partition *p, gpa_t at)
{
	uint64_t *pt = gmem_ptr(p, at, GUEST_IDMAP_PAGES * PAGE_SIZE, true);
	gpa_t pdpt = at + PAGE_SIZE, pd = pdpt + PAGE_SIZE;

	if (!pt)
		return -HV_ENOSPC;
	memset(pt, 0, GUEST_IDMAP_PAGES * PAGE_SIZE);
	pt[0] = pdpt | PTE_P_RW;
	for (unsigned i = 0; i < 4; i++)
		pt[512 + i] = (pd + i * PAGE_SIZE) | PTE_P_RW;
	for (unsigned i = 0; i < 4 * 512; i++)
		pt[1024 + i] = ((uint64_t)i << 21) | PDE_2M;
	return 0;
}

/* Identity map of guest-physical 0-4 GiB and a flat GDT in the reserved area. */
static int build_boot64(struct partition *p, struct x86_part *xp)
{
	gpa_t base = guest_info_gpa(p);
	uint64_t *gdt = gmem_ptr(p, base + GUEST_GDT_OFF, 4 * 8, true);
	gpa_t pml4 = base + GUEST_PT_OFF;

	if (!gdt || guest_identity_map(p, pml4) < 0)
		return -HV_ENOSPC;
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL; /* 0x08: 64-bit code */
	gdt[2] = 0x00cf92000000ffffULL; /* 0x10: data */
	gdt[3] = 0x00cf9a000000ffffULL; /* 0x18: 32-bit code, for the 32-bit start */
	xp->cr3 = pml4;
	xp->gdt = base + GUEST_GDT_OFF;
	return 0;
}

const struct vcpu_ops *vcpu_ops_get(void)
{
	return ops;
}

static int part_create_common(struct partition *p, struct x86_part **out)
{
	struct x86_part *xp;
	int rc;

	if (!ops) {
		if (percpu[0].virt.svm && percpu[0].virt.npt) {
			ops = &svm_ops;
		} else {
			pr_err("partition \"%s\": this CPU has no SVM with NPT (VMX comes later)",
			       p->name);
			return -HV_ENODEV;
		}
	}
	xp = (struct x86_part *)(uintptr_t)palloc_alloc(1, 1);
	if (!xp)
		return -HV_ENOMEM;
	p->arch = xp;
	xp->asid = next_asid++;
	xp->cs = 0x08;
	xp->ds = 0x10;
	rc = stage2_build(p, ops);
	if (rc == 0)
		rc = build_bitmaps(p, xp);
	*out = xp;
	return rc;
}

int arch_part_create(struct partition *p, uint64_t entry)
{
	struct x86_part *xp;
	int rc = part_create_common(p, &xp);

	if (rc < 0)
		return rc;
	xp->entry = entry;
	return build_boot64(p, xp);
}

int arch_part_create_linux(struct partition *p, const struct linux_image *li)
{
	struct x86_part *xp;
	int rc = part_create_common(p, &xp);

	return rc < 0 ? rc : arch_linux_setup(p, xp, li);
}

static bool part_running(const struct partition *p)
{
	return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PART_RUNNING;
}

/*
 * An AP of the Linux root between INIT and its start-up IPI: waits in the
 * hypervisor (woken by VEC_WAKE) and returns true once a SIPI has come.
 */
enum wait_result { WAIT_STOPPED, WAIT_SIPI, WAIT_KICKED };

static enum wait_result vcpu_wait_sipi(struct vcpu *v)
{
	while (part_running(v->part)) {
		if (__atomic_load_n(&v->kick, __ATOMIC_ACQUIRE) != VCPU_KICK_NONE)
			return WAIT_KICKED;
		if (__atomic_load_n(&v->start, __ATOMIC_ACQUIRE) == VCPU_START_SIPI)
			return WAIT_SIPI;
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
	return WAIT_STOPPED;
}

#define RESTART_WAIT_MS 100

/*
 * vCPU 0 of a restarting root, once it left the guest: waits for the other
 * vCPUs to leave theirs, resets the emulated devices and reloads the kernel.
 */
static int root_reload(struct vcpu *v)
{
	struct partition *p = v->part;
	struct x86_part *xp = p->arch;
	uint64_t until = rdtsc() + time_tsc_khz() * RESTART_WAIT_MS;
	int rc;

	for (uint32_t i = 1; i < p->cpu_count; i++) {
		struct vcpu *ap = xp->vcpus[i];

		while (ap && __atomic_load_n(&ap->start, __ATOMIC_ACQUIRE) == VCPU_START_RUNNING &&
		       rdtsc() < until)
			__asm__ volatile("pause");
	}
	for (uint32_t i = 0; i < p->cpu_count; i++) {
		if (xp->vcpus[i]) {
			xp->vcpus[i]->xapic_ldr = 0;
			xp->vcpus[i]->xapic_dfr = 0xffffffff;
		}
	}
	root_emul_reset(p);
	rc = arch_linux_setup(p, xp, &xp->image);
	if (rc < 0) {
		part_fail(p, v->index, "restart: the kernel could not be loaded again", 0,
			  (uint64_t)-rc);
		return rc;
	}
	xp->restarts++;
	pr_info("partition \"%s\" (id %u) restarted (restart %u); no other partition was touched",
		p->name, p->id, xp->restarts);
	__atomic_store_n(&xp->restarting, 0, __ATOMIC_RELEASE);
	return 0;
}

static void kick_vcpu(struct vcpu *self, struct vcpu *t, enum vcpu_kick why)
{
	struct percpu *cpu = &percpu[t->part->cpus[t->index]];

	__atomic_store_n(&t->kick, why, __ATOMIC_RELEASE);
	if (t == self)
		return; /* its exit loop sees the kick */
	if (__atomic_load_n(&t->start, __ATOMIC_ACQUIRE) == VCPU_START_RUNNING) {
		/* leave the guest through an NMI the hypervisor takes as a kick */
		apic_send_ipi(cpu->apic_id, ICR_NMI);
	} else {
		apic_send_ipi(cpu->apic_id, VEC_WAKE);
	}
}

void root_request(struct vcpu *v, enum root_request req, const char *how)
{
	struct partition *p = v->part;
	struct x86_part *xp = p->arch;
	uint32_t running = PART_RUNNING;

	if (req == ROOT_REQ_REBOOT && xp->image.kept) {
		if (__atomic_exchange_n(&xp->restarting, 1, __ATOMIC_ACQ_REL))
			return; /* a restart is already under way */
		pr_info("partition \"%s\": reboot request (%s): the partition restarts; the others "
			"keep running",
			p->name, how);
		for (uint32_t i = 0; i < p->cpu_count; i++)
			if (xp->vcpus[i])
				kick_vcpu(v, xp->vcpus[i], VCPU_KICK_RESTART);
		return;
	}
	if (!__atomic_compare_exchange_n(&p->state, &running, PART_STOPPED, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return;
	pr_info("partition \"%s\": %s request (%s): the partition stops%s; the others keep running",
		p->name, req == ROOT_REQ_REBOOT ? "reboot" : "power-off", how,
		req == ROOT_REQ_REBOOT ? " (no copy of its image to restart it from)" : "");
	arch_part_stop_cpus(p);
}

/* Runs on the partition's CPU: enable SVM/VMX, enter, and park when it stops. */
static void __noreturn vcpu_enter(struct vcpu *v)
{
	struct percpu *cpu = this_cpu();
	int rc = ops->cpu_enable(v);

	if (rc < 0) {
		part_fail(v->part, v->index, "could not set up the vCPU", 0, (uint64_t)-rc);
	} else {
		uint64_t now = rdtsc();

		cpu->vcpu = v;
		pr_info("cpu%u: %s partition \"%s\" vCPU %u, %llu us (%llu TSC cycles) after "
			"hypervisor entry",
			cpu->cpu_id, v->start == VCPU_START_BOOT ? "entering" : "holding for",
			v->part->name, v->index,
			(unsigned long long)tsc_to_us(now - boot_entry_cycles),
			(unsigned long long)(now - boot_entry_cycles));
		for (;;) {
			enum vcpu_kick kick;

			if (v->start == VCPU_START_BOOT) {
				rc = ops->vcpu_setup(v);
				if (rc < 0) {
					part_fail(v->part, v->index, "could not set up the vCPU", 0,
						  (uint64_t)-rc);
					break;
				}
			} else {
				enum wait_result w = vcpu_wait_sipi(v);

				if (w == WAIT_STOPPED)
					break;
				if (w == WAIT_KICKED)
					goto kicked;
				ops->vcpu_setup_sipi(v, v->sipi_vector);
				pr_info("cpu%u: partition \"%s\" vCPU %u starts at 0x%x (start-up "
					"IPI)",
					cpu->cpu_id, v->part->name, v->index,
					(unsigned)v->sipi_vector << 12);
			}
			__atomic_store_n(&v->start, VCPU_START_RUNNING, __ATOMIC_RELEASE);
			ops->vcpu_run(v);
		kicked:
			kick = __atomic_exchange_n(&v->kick, VCPU_KICK_NONE, __ATOMIC_ACQ_REL);
			if (kick == VCPU_KICK_NONE || !part_running(v->part))
				break;
			if (kick == VCPU_KICK_INIT) {
				/* INIT while running: back to waiting for a start-up IPI */
				__atomic_store_n(&v->start, VCPU_START_WAIT_SIPI, __ATOMIC_RELEASE);
				continue;
			}
			/* the partition restarts: nothing of the old guest's APIC state stays */
			apic_reset_for_guest();
			pr_debug("cpu%u: partition \"%s\" vCPU %u left the guest for its restart",
				 cpu->cpu_id, v->part->name, v->index);
			if (v->index != 0) {
				__atomic_store_n(&v->start, VCPU_START_WAIT_INIT, __ATOMIC_RELEASE);
				continue;
			}
			__atomic_store_n(&v->start, VCPU_START_BOOT, __ATOMIC_RELEASE);
			if (root_reload(v) < 0)
				break;
		}
	}
	pr_info("cpu%u: partition \"%s\" stopped; CPU parked", cpu->cpu_id, v->part->name);
	cpu->state = CPU_PARKED;
	for (;;)
		__asm__ volatile("cli; hlt" ::: "memory");
}

void arch_cpu_idle_loop(void)
{
	struct percpu *cpu = this_cpu();

	for (;;) {
		struct vcpu *v = __atomic_load_n(&cpu->assigned, __ATOMIC_ACQUIRE);

		void (*job)(void) = __atomic_load_n(&cpu->job, __ATOMIC_ACQUIRE);

		if (v)
			vcpu_enter(v);
		if (job)
			job();
		/* sti's one-instruction shadow: a wake IPI cannot slip in before hlt */
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}

int arch_cpu_start_job(unsigned c, void (*fn)(void))
{
	struct percpu *cpu = &percpu[c];

	if (c >= cpu_count || c == arch_cpu_id() || cpu->state != CPU_ONLINE || cpu->assigned ||
	    cpu->job)
		return -1;
	__atomic_store_n(&cpu->job, fn, __ATOMIC_RELEASE);
	apic_send_ipi(cpu->apic_id, VEC_WAKE);
	return 0;
}

int arch_part_start(struct partition *p)
{
	for (uint32_t i = 0; i < p->cpu_count; i++) {
		struct percpu *cpu = &percpu[p->cpus[i]];
		struct vcpu *v = (struct vcpu *)(uintptr_t)palloc_alloc(1, 1);

		if (!v)
			return -HV_ENOMEM;
		if (cpu->state != CPU_ONLINE || cpu->cpu_id == arch_cpu_id()) {
			pr_err("partition \"%s\": CPU %u is not available", p->name, cpu->cpu_id);
			return -HV_EBUSY;
		}
		v->part = p;
		v->index = i;
		v->xapic_dfr = 0xffffffff;
		((struct x86_part *)p->arch)->vcpus[i] = v;
		__atomic_store_n(&cpu->assigned, v, __ATOMIC_RELEASE);
		apic_send_ipi(cpu->apic_id, VEC_WAKE);
	}
	return 0;
}

void arch_enter_root(struct partition *p)
{
	struct x86_part *xp = p->arch;
	struct vcpu *v = (struct vcpu *)(uintptr_t)palloc_alloc(1, 1);

	if (!v || p->cpus[0] != arch_cpu_id()) {
		part_fail(p, 0, "the root's first CPU is not the boot CPU", 0, p->cpus[0]);
		arch_cpu_halt();
	}
	v->part = p;
	v->index = 0;
	v->xapic_dfr = 0xffffffff;
	xp->vcpus[0] = v;
	/* a Linux root starts its other CPUs itself, by INIT and start-up IPIs */
	for (uint32_t i = 1; i < p->cpu_count && xp->linux_root; i++) {
		struct percpu *cpu = &percpu[p->cpus[i]];
		struct vcpu *ap = (struct vcpu *)(uintptr_t)palloc_alloc(1, 1);

		if (!ap || cpu->state != CPU_ONLINE) {
			pr_err("partition \"%s\": CPU %u is not available; Linux will not find it",
			       p->name, cpu->cpu_id);
			continue;
		}
		ap->part = p;
		ap->index = i;
		ap->start = VCPU_START_WAIT_INIT;
		ap->xapic_dfr = 0xffffffff; /* the APIC's reset value: flat model */
		xp->vcpus[i] = ap;
		__atomic_store_n(&cpu->assigned, ap, __ATOMIC_RELEASE);
		apic_send_ipi(cpu->apic_id, VEC_WAKE);
	}
	vcpu_enter(v);
}

void vcpu_vdev_part(const struct partition *p, struct vdev_part *out)
{
	const struct x86_part *xp = p->arch;

	out->count = p->cpu_count < PART_CPUS_MAX ? p->cpu_count : PART_CPUS_MAX;
	out->linux_root = xp->linux_root;
	for (uint32_t i = 0; i < out->count; i++) {
		const struct vcpu *t = xp->vcpus[i];

		out->cpu[i].present = t != NULL;
		out->cpu[i].apic_id = (uint32_t)p->hw_ids[i]; /* x86: the hw id is an APIC ID */
		out->cpu[i].ldr = t ? t->xapic_ldr : 0;
		out->cpu[i].dfr = t ? t->xapic_dfr : 0xffffffff;
	}
}

/* INIT and start-up IPIs to the root's own APs: the AP's start state, never the hardware. */
static void emulate_init_sipi(struct vcpu *v, uint32_t t, const struct vipi *d)
{
	struct vcpu *ap = ((struct x86_part *)v->part->arch)->vcpus[t];
	uint32_t st = __atomic_load_n(&ap->start, __ATOMIC_ACQUIRE);

	if (d->kind == VIPI_INIT) {
		if (st == VCPU_START_RUNNING)
			kick_vcpu(v, ap, VCPU_KICK_INIT);
		else if (st != VCPU_START_BOOT)
			__atomic_store_n(&ap->start, VCPU_START_WAIT_SIPI, __ATOMIC_RELEASE);
		return;
	}
	/* a start-up IPI only counts while the AP waits for one (Intel SDM vol. 3A 8.4.4) */
	if (st == VCPU_START_WAIT_SIPI) {
		ap->sipi_vector = d->vector;
		__atomic_store_n(&ap->start, VCPU_START_SIPI, __ATOMIC_RELEASE);
		apic_send_ipi(percpu[v->part->cpus[t]].apic_id, VEC_WAKE);
	}
}

/*
 * NMIs never reach a partition CPU as real NMIs (the hypervisor takes those
 * as its stop signal): the target is made to leave the guest and gets the
 * NMI injected at its next entry.
 */
static void inject_nmi(struct vcpu *v, struct vcpu *t)
{
	__atomic_store_n(&t->nmi_pending, 1, __ATOMIC_RELEASE);
	if (t != v && __atomic_load_n(&t->start, __ATOMIC_ACQUIRE) == VCPU_START_RUNNING)
		apic_send_ipi(percpu[t->part->cpus[t->index]].apic_id, ICR_NMI);
}

int vcpu_send_ipi(struct vcpu *v, uint64_t icr, char *why, size_t why_len)
{
	struct partition *p = v->part;
	struct x86_part *xp = p->arch;
	struct vdev_part vp;
	struct vipi d;

	vcpu_vdev_part(p, &vp);
	if (!vipi_decide(&vp, v->index, apic_x2apic_mode(), icr, &d)) {
		snprintf(why, why_len, "forbidden %s (ICR 0x%llx)", d.why, (unsigned long long)icr);
		return -HV_EPERM;
	}
	for (uint32_t i = 0; i < vp.count; i++) {
		if (!(d.targets & (1u << i)) || !xp->vcpus[i])
			continue;
		switch (d.kind) {
		case VIPI_PHYS:
			apic_send_ipi((uint32_t)p->hw_ids[i], d.low); /* x86: hw id = APIC ID */
			break;
		case VIPI_NMI:
			inject_nmi(v, xp->vcpus[i]);
			break;
		case VIPI_INIT:
		case VIPI_SIPI:
			emulate_init_sipi(v, i, &d);
			break;
		default:
			break; /* INIT de-assert: nothing on a modern APIC */
		}
	}
	return 0;
}

void arch_part_stop_cpus(struct partition *p)
{
	cpu_id_t self = arch_cpu_id();

	for (uint32_t i = 0; i < p->cpu_count; i++)
		if (p->cpus[i] != self)
			apic_send_ipi(percpu[p->cpus[i]].apic_id, ICR_NMI);
}

static const char *const vexit_names[VEXIT_COUNT] = {
	[VEXIT_CPUID] = "cpuid",
	[VEXIT_MSR_READ] = "rdmsr",
	[VEXIT_MSR_WRITE] = "wrmsr",
	[VEXIT_IO] = "io",
	[VEXIT_NPF] = "npf",
	[VEXIT_XAPIC] = "xapic",
	[VEXIT_HYPERCALL] = "hypercall",
	[VEXIT_NMI] = "nmi",
	[VEXIT_INIT] = "init",
	[VEXIT_SHUTDOWN] = "shutdown",
	[VEXIT_INTR] = "intr",
	[VEXIT_VIRT_INSN] = "svm-insn",
	[VEXIT_OTHER] = "other",
};

void arch_report_exits(uint64_t interval_us)
{
	static uint64_t last[MAX_CPUS][VEXIT_COUNT];

	for (unsigned c = 0; c < cpu_count; c++) {
		struct vcpu *v = __atomic_load_n(&percpu[c].vcpu, __ATOMIC_ACQUIRE);
		char line[256];
		size_t n = 0;
		uint64_t delta = 0;

		if (!v)
			continue;
		for (unsigned r = 0; r < VEXIT_COUNT; r++) {
			uint64_t now = v->exits[r], d = now - last[c][r];

			last[c][r] = now;
			delta += d;
			if (d && n < sizeof(line))
				n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %llu",
						      vexit_names[r], (unsigned long long)d);
		}
		if (n == 0)
			line[0] = '\0';
		pr_info("stats: cpu%u (%s): %llu exits in %llu ms%s%s; %llu since start", c,
			v->part->name, (unsigned long long)delta,
			(unsigned long long)(interval_us / 1000), n ? ":" : "", line,
			(unsigned long long)v->exits_total);
	}
}
